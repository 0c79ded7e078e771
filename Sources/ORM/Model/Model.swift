import TandemDatabase

/// A type stored as rows of a table: a `Codable` struct whose coding keys are column names.
///
/// ```swift
/// struct ProgressReport: Model {
///     static let tableName = "core_progressreport"
///     static let primaryKey = "id"
///     var id: Int64?
///     var code: String
///     var done: Int
///     var total: Int
/// }
/// var report = ProgressReport(id: nil, code: "sync", done: 0, total: 10)
/// try report.create(on: database)          // sets `id` through didInsert(primaryKey:)
/// try ProgressReport.query(on: database)
///     .filter(Column("code") == "sync")
///     .update([Column("done").set(Column("done") + 1)])   // done = done + 1, in the database
/// ```
///
/// Mark models with ``Columns()`` (`@Columns struct ProgressReport: Model`) so rows
/// decode and encode without `Codable`'s keyed containers, several times faster. Keep stored properties'
/// default values cheap: Swift evaluates them on every initialisation, decoding included, and
/// `UUID()` reads the kernel's random source each time — pass such values to `init` instead when
/// a type is read in bulk.
///
/// ## Topics
/// - ``MasterModel``
/// - ``DetailModel``
/// - ``Query``
/// - ``ValidationErrors``
public protocol Model: Codable, Sendable {
    /// The table holding this type's own columns.
    static var tableName: String { get }
    /// The primary key column; `pulp_id` unless a type says otherwise.
    static var primaryKey: String { get }
    /// The tables that store one value, from the master's down to this type's; one for plain models.
    static var tableChain: [String] { get }
    /// The columns this type reads from each table of ``tableChain``, in the same order: the ORM
    /// selects exactly these (never `SELECT *`), so columns another release adds to a table never
    /// change what this type's statements return. The default lists what `@Columns` declares, or
    /// the coding keys a plain `Decodable` model reads, found once per type; it throws
    /// ``ModelDefinitionError`` when those cannot be found.
    static var tableColumns: [[String]] { get throws }

    /// Adds a message for every invalid field; ``create(on:)`` and ``update(on:)`` refuse to write a
    /// value with errors. The default accepts everything.
    func validate(_ errors: inout ValidationErrors)

    /// Validates this value and, for a detail, every level above it.
    func validateAll(_ errors: inout ValidationErrors)

    /// The columns and values of each table in ``tableChain``, in the same order.
    func encodeRows() throws -> [[(column: String, value: DatabaseValue)]]

    /// Receives a primary key the database generated on insert; the default ignores it.
    mutating func didInsert(primaryKey: DatabaseValue)

    /// Prepares a value for insertion (a detail sets its master's `pulp_type`); the default does nothing.
    mutating func willInsert()

    /// Values a ``Serializer`` uses for fields the input leaves out (Django's field defaults),
    /// keyed by column. The primary key and `pulp_type` never need one: a UUID key is generated
    /// and `pulp_type` is set on insert. The default is empty: every other field is required.
    static var serializerDefaults: [String: JSONValue] { get }

    /// Fields a ``Serializer`` never takes from input, in addition to the primary key and
    /// `pulp_type` (DRF's `read_only_fields`): a value given for one is ignored, and the field
    /// takes its ``serializerDefaults`` value (else an empty stand-in). A detail's serializer also
    /// applies the read-only fields of every level above it. The default is empty.
    static var readOnlyFields: Set<String> { get }
}

extension Model {
    /// `pulp_id`, as in Pulp.
    public static var primaryKey: String { "pulp_id" }
    /// This type's table alone.
    public static var tableChain: [String] { [tableName] }
    /// The columns this type reads from its table.
    public static var tableColumns: [[String]] { get throws { [try ColumnNames.own(Self.self)] } }
    /// Accepts every value.
    public func validate(_ errors: inout ValidationErrors) {}
    /// Runs ``validate(_:)``.
    public func validateAll(_ errors: inout ValidationErrors) { validate(&errors) }
    /// One row: every coding key as a column.
    public func encodeRows() throws -> [[(column: String, value: DatabaseValue)]] {
        [try RowEncoder.encode(self, skippingParent: false)]
    }
    /// Ignores the key.
    public mutating func didInsert(primaryKey: DatabaseValue) {}
    /// Does nothing.
    public mutating func willInsert() {}
    /// None: every field is required.
    public static var serializerDefaults: [String: JSONValue] { [:] }
    /// None besides the primary key and `pulp_type`.
    public static var readOnlyFields: Set<String> { [] }
}
