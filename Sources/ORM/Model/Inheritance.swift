import TandemDatabase

/// A model in a master/detail hierarchy: a master, or a detail of one (at any depth).
public protocol InheritanceMember: Model {
    /// The master model at the top of the hierarchy.
    associatedtype Master: MasterModel
    /// The plugin's app label, the first half of `pulp_type` (`core` for pulpcore's masters).
    static var appLabel: String { get }
    /// The type's name within its plugin (Pulp's `TYPE`), the second half of `pulp_type`.
    static var typeName: String { get }
    /// The master value: the common fields, complete.
    var master: Master { get }
}

/// A model whose table holds the fields common to a family of detail models, plus `pulp_type`,
/// which names each row's most derived type as `"<app label>.<TYPE>"`.
///
/// ```swift
/// struct Remote: MasterModel {
///     static let tableName = "core_remote"
///     static let appLabel = "core"
///     static let typeName = "remote"        // pulp_type "core.remote"
///     var pulpID = UUID()
///     var pulpType = ""
///     var name: String
///     var url: String
///     var policy = "immediate"
///     enum CodingKeys: String, CodingKey {
///         case pulpID = "pulp_id", pulpType = "pulp_type", name, url, policy
///     }
/// }
/// ```
/// The `pulp_type` coding key is required; ``Model/create(on:)`` fills it in: a master value
/// created directly gets the master's own type (`core.remote`), a detail its own (`file.file`).
public protocol MasterModel: InheritanceMember where Master == Self {
    /// The row's most derived type, `"<app label>.<TYPE>"`; stored in the `pulp_type` column.
    var pulpType: String { get set }
}

extension InheritanceMember {
    /// `"<app label>.<TYPE>"`, as stored in the master's `pulp_type` column.
    public static var pulpType: String { "\(appLabel).\(typeName)" }
}

extension MasterModel {
    /// The value itself.
    public var master: Self { self }

    /// Sets `pulp_type` to the master's own type: a master value created directly is of that type.
    public mutating func willInsert() { pulpType = Self.pulpType }
}

/// A model that extends a master (or another detail) with fields of its own, in its own table
/// whose primary key references the parent's, `ON DELETE CASCADE`.
///
/// A detail reads and writes every field of the levels above it as its own, through dynamic
/// member lookup:
///
/// ```swift
/// struct FileRemote: DetailModel {
///     static let tableName = "file_fileremote"
///     static let appLabel = "file"
///     static let typeName = "file"          // pulp_type "file.file"
///     var parent: Remote
///     var sha256: String?
/// }
/// var remote = FileRemote(parent: Remote(name: "r", url: "https://example.com"), sha256: nil)
/// remote.policy = "streamed"                // a master field
/// try remote.create(on: database)           // one transaction, two tables
/// let master: Remote = remote.master
/// ```
@dynamicMemberLookup
public protocol DetailModel: InheritanceMember where Master == Parent.Master {
    /// The model this one extends: the master, or a detail for a detail of a detail.
    associatedtype Parent: InheritanceMember
    /// The parent's fields; its coding key must be `parent`.
    var parent: Parent { get set }
}

extension DetailModel {
    /// The master's primary key column: a detail row's key is its master row's key.
    public static var primaryKey: String { Parent.primaryKey }
    /// The parent's tables, then this type's.
    public static var tableChain: [String] { Parent.tableChain + [tableName] }
    /// The parent's columns, then this type's own.
    public static var tableColumns: [[String]] {
        get throws { try Parent.tableColumns + [try ColumnNames.own(Self.self)] }
    }

    /// The master value, with all of its fields.
    public var master: Master { parent.master }

    /// Reads and writes a field of a level above as this value's own.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Parent, Value>) -> Value {
        get { parent[keyPath: keyPath] }
        set { parent[keyPath: keyPath] = newValue }
    }

    /// Validates every level, the master first.
    public func validateAll(_ errors: inout ValidationErrors) {
        parent.validateAll(&errors)
        validate(&errors)
    }

    /// The parent's rows, then this type's own columns keyed by the shared primary key.
    public func encodeRows() throws -> [[(column: String, value: DatabaseValue)]] {
        let parentRows = try parent.encodeRows()
        let key = Self.primaryKey
        guard let keyValue = parentRows[0].first(where: { $0.column == key })?.value else {
            preconditionFailure("\(Master.self) encodes no \(key) column")
        }
        var own = try RowEncoder.encode(self, skippingParent: true)
        own.insert((key, keyValue), at: 0)
        return parentRows + [own]
    }

    /// Passes the key up to the master.
    public mutating func didInsert(primaryKey: DatabaseValue) { parent.didInsert(primaryKey: primaryKey) }

    /// Sets the master's `pulp_type` to this type's.
    public mutating func willInsert() { parent.setPulpType(Self.pulpType) }
}

extension InheritanceMember {
    /// Sets `pulp_type` on the master, whichever level this is.
    ///
    /// A master is recognised by its type, not a dynamic cast: this runs on every create.
    mutating func setPulpType(_ type: String) {
        if Self.self == Master.self {
            withUnsafeMutablePointer(to: &self) { pointer in
                UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Master.self).pointee.pulpType = type
            }
        } else if var detail = self as? any DetailModel {
            detail.setParentPulpType(type)
            self = detail as! Self
        }
    }
}

extension DetailModel {
    fileprivate mutating func setParentPulpType(_ type: String) { parent.setPulpType(type) }
}
