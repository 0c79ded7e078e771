import TandemSchema
import TandemTriggers

/// A column rename or type change done without downtime: an expand step (compatible) and, in a
/// later release, a contract step (breaking) that name the same table and columns.
public struct ColumnChange: Sendable, Hashable {
    /// Which change this is.
    public enum Kind: String, Sendable, Hashable {
        /// `rename_column` / `complete_rename`: the new column has the old one's type.
        case rename
        /// `change_type` / `complete_change_type`: the new column has another type.
        case changeType
    }

    /// Which change this is.
    public var kind: Kind
    /// The table.
    public var table: String
    /// The column earlier code uses.
    public var old: String
    /// The column new code uses.
    public var new: String
    /// `change_type`'s new type; nil for a rename (the old column's type).
    public var type: ColumnType?
    /// SQL computing the new column from the old, naming the old column (`change_type` only).
    public var up: String?
    /// SQL computing the old column from the new, naming the new column (`change_type` only).
    public var down: String?

    /// Creates a change.
    public init(
        kind: Kind, table: String, old: String, new: String, type: ColumnType? = nil, up: String? = nil,
        down: String? = nil
    ) {
        self.kind = kind
        self.table = table
        self.old = old
        self.new = new
        self.type = type
        self.up = up
        self.down = down
    }

    /// The dual-write triggers that keep the two columns equal between the steps.
    public var sync: ColumnSync {
        ColumnSync(
            table: table, old: old, new: new, up: up.map { SchemaExpression($0) }, down: down.map { SchemaExpression($0) })
    }

    /// Whether `other` names the same table and columns (an expand step and its contract step).
    public func pairs(with other: ColumnChange) -> Bool {
        kind == other.kind && table == other.table && old == other.old && new == other.new
    }
}
