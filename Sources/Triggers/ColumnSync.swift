import TandemDatabase
import TandemSchema

/// Two columns of a table kept equal by dual-write triggers while old and new code both run.
///
/// During the expand half of a rename or a type change, old code writes `old`, new code writes
/// `new`, and the triggers copy each write to the other column, through `up` (new from old) and
/// `down` (old from new). The exact rules, their edge cases and the SQL are in the
/// <doc:ColumnSyncSemantics> article.
///
/// ```swift
/// let sync = ColumnSync(table: "remote", old: "timeout", new: "timeout_text",
///                       up: "CAST(timeout AS TEXT)", down: "CAST(timeout_text AS INTEGER)")
/// try connection.installColumnSync(sync)
/// ...
/// try connection.removeColumnSync(sync)
/// ```
///
/// An expression names its source column by its plain name (`timeout` in `up`,
/// `timeout_text` in `down`), as in a query on the table; it may name no other column. The
/// triggers evaluate it as `(SELECT <expression> FROM (SELECT NEW.<source> AS <source>))`, so
/// the same text works on both databases and inside PL/pgSQL. Without an expression the value
/// is copied as it is.
///
/// ## Topics
/// - ``ColumnSyncNames``
/// - ``InstalledColumnSync``
/// - ``ColumnSyncError``
public struct ColumnSync: Sendable, Hashable, Codable {
    /// The table, unquoted.
    public var table: String
    /// The column old code reads and writes.
    public var old: String
    /// The column new code reads and writes.
    public var new: String
    /// The new column's value computed from the old column's; nil copies the value.
    public var up: SchemaExpression?
    /// The old column's value computed from the new column's; nil copies the value.
    public var down: SchemaExpression?
    /// The old column's default. On INSERT, an old column holding its default counts as not
    /// written (see <doc:ColumnSyncSemantics>). ``Connection/installColumnSync(_:)`` fills it
    /// from the table; see ``resolved(in:)``.
    public var oldDefault: ColumnDefault?
    /// The new column's default, used as ``oldDefault`` is.
    public var newDefault: ColumnDefault?
    /// What installed the triggers (a migration, `app/0002_sizes`), named in the error they
    /// raise when a written value does not convert; nil names nothing.
    public var origin: String?

    /// Describes a pair of columns to keep in sync.
    public init(
        table: String, old: String, new: String, up: SchemaExpression? = nil, down: SchemaExpression? = nil,
        oldDefault: ColumnDefault? = nil, newDefault: ColumnDefault? = nil, origin: String? = nil
    ) {
        precondition(old != new, "a column cannot be kept in sync with itself")
        self.table = table
        self.old = old
        self.new = new
        self.up = up
        self.down = down
        self.oldDefault = oldDefault
        self.newDefault = newDefault
        self.origin = origin
    }

    /// The names of the triggers and the function that keep these columns in sync.
    public var names: ColumnSyncNames {
        ColumnSyncNames(table: table, old: old, new: new)
    }

    /// Whether the two syncs name the same pair of columns (whatever their expressions).
    public func isSamePair(as other: ColumnSync) -> Bool {
        table == other.table && old == other.old && new == other.new
    }

    /// This sync with the defaults of its two columns taken from `table`, as the triggers must
    /// know them to tell a written value from a default on INSERT.
    ///
    /// - Throws: ``ColumnSyncError`` when a column is missing or is an identity column.
    public func resolved(in table: Table) throws -> ColumnSync {
        guard table.name == self.table else {
            throw ColumnSyncError("\(describe()): resolved against table \"\(table.name)\"")
        }
        var result = self
        result.oldDefault = try column(old, role: "old", in: table).defaultValue
        result.newDefault = try column(new, role: "new", in: table).defaultValue
        return result
    }

    private func column(_ name: String, role: String, in table: Table) throws -> Column {
        guard let column = table.column(named: name) else {
            throw ColumnSyncError("\(describe()): table \"\(table.name)\" has no \(role) column \"\(name)\"")
        }
        guard !column.isIdentity else {
            throw ColumnSyncError(
                "\(describe()): column \"\(name)\" is an identity column, which the database numbers itself")
        }
        return column
    }

    /// SQLite: refuses a `up` or `down` that casts to a type SQLite's `CAST` cannot convert text
    /// to (`uuid`, `date`, `json`, …: it gives them numeric affinity, so `'2026-11-27'` becomes
    /// 2026), which would store wrong values without an error.
    public func checkSQLiteCasts() throws(ColumnSyncError) {
        guard let cast = SQLiteConversionCheck(sync: self).unconvertibleCast else { return }
        throw ColumnSyncError(
            "\(describe()): on SQLite, CAST(\(cast.operand) AS \(cast.type)) does not convert text as PostgreSQL does "
                + "(SQLite gives \(cast.type) numeric affinity: text becomes 0 or its leading digits); write an expression "
                + "SQLite converts exactly, such as the value itself, or a CASE")
    }

    /// Whether `code` (a trigger's or function's SQL) carries the record of this pair: the
    /// object was installed for these columns of this table, whatever its expressions.
    public func isRecorded(in code: String) -> Bool {
        SyncMarker.sync(in: code).map { isSamePair(as: $0) } ?? false
    }

    /// `"table"."old" -> "new"`, for messages.
    public func describe() -> String {
        "column sync \(quoteIdentifier(table)).\(quoteIdentifier(old)) -> \(quoteIdentifier(new))"
    }
}

/// The deterministic names of a ``ColumnSync``'s database objects, derived from the table and
/// the two columns so that status and verification find them.
///
/// A name is `tandem_sync_`, the table and columns joined by `_` (cut to fit), and eight hex
/// digits of a hash of the three names taken apart (see
/// ``TandemSchema/ConstraintName/tagged(_:identity:suffix:)``), so pairs whose names join to
/// the same text (`core_repo.version_label` and `core_repo_version.label`, both renamed to
/// `name`) get different objects; every name fits PostgreSQL's 63 bytes. Installing refuses to
/// replace an object of the same name that another pair or the application created.
public struct ColumnSyncNames: Sendable, Hashable {
    /// The prefix every column sync object's name starts with.
    public static let prefix = "tandem_sync_"

    /// PostgreSQL: the PL/pgSQL function, in the current schema.
    public let function: String
    /// PostgreSQL: the row trigger on the table (trigger names are per table there).
    public let trigger: String
    /// SQLite: the AFTER INSERT trigger.
    public let insertTrigger: String
    /// SQLite: the AFTER UPDATE trigger.
    public let updateTrigger: String
    /// The CHECK constraint ``TandemDatabase/Connection/relaxNotNull(for:)`` adds on SQLite.
    public let relaxedCheck: String

    init(table: String, old: String, new: String) {
        let readable = Self.prefix + [table, old, new].joined(separator: "_")
        let identity = [table, old, new]
        function = ConstraintName.tagged(readable, identity: identity)
        trigger = function
        insertTrigger = ConstraintName.tagged(readable, identity: identity, suffix: "_insert")
        updateTrigger = ConstraintName.tagged(readable, identity: identity, suffix: "_update")
        relaxedCheck = ConstraintName.tagged(readable, identity: identity, suffix: "_check")
    }

    /// The triggers the sync installs on `dialect`.
    public func triggers(for dialect: Dialect) -> [String] {
        dialect == .postgres ? [trigger] : [insertTrigger, updateTrigger]
    }
}
