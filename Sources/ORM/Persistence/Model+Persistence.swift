import TandemDatabase

extension Model {
    /// Validates and inserts this value: one row per table of ``tableChain``, in one transaction.
    ///
    /// A detail's master gets `pulp_type` set to the detail's type. When the primary key encodes
    /// as NULL, the database generates it and ``didInsert(primaryKey:)`` receives it.
    /// - Throws: ``ValidationErrors`` (nothing written) or ``DatabaseError``.
    public mutating func create(on source: some ConnectionSource) throws {
        let rows = try rowsToInsert()
        let generated = try source.withConnection { connection in try Self.insert(rows, on: connection) }
        if let generated { didInsert(primaryKey: generated) }
    }

    /// Validates and writes this value's columns to every table of ``tableChain``, in one transaction.
    ///
    /// A master/detail value's `pulp_type` is not written: it is set on insert, and a row's type
    /// never changes (as in Pulp), so a value built from input, whose `pulp_type` a ``Serializer``
    /// leaves empty, cannot retype the row.
    /// - Throws: ``ValidationErrors`` (nothing written), ``PersistenceError/notFound(table:key:)``
    ///   when no row has this key, or ``DatabaseError``.
    public func update(on source: some ConnectionSource) throws {
        try checkValid()
        let rows = try encodeRows()
        let keyValue = try primaryKeyValue(rows)
        try source.withConnection { connection in try Self.update(rows, key: keyValue, on: connection) }
    }

    /// Deletes this value: its rows in every table of ``tableChain``, most derived first, in one
    /// transaction (deeper detail rows go with the master's through `ON DELETE CASCADE`).
    /// - Throws: ``PersistenceError/notFound(table:key:)`` when no row has this key.
    public func delete(on source: some ConnectionSource) throws {
        let keyValue = try primaryKeyValue(try encodeRows())
        try source.withConnection { connection in try Self.delete(key: keyValue, on: connection) }
    }

    /// Prepares, validates and encodes a value for ``insert(_:on:)``.
    mutating func rowsToInsert() throws -> [[(column: String, value: DatabaseValue)]] {
        willInsert()
        try checkValid()
        return try encodeRows()
    }

    /// Inserts encoded rows on one connection and returns the generated primary key, if any.
    static func insert(_ encoded: [[(column: String, value: DatabaseValue)]], on connection: Connection) throws
        -> DatabaseValue?
    {
        // A type the ORM cannot read is refused before it writes (see `ModelDefinitionError`).
        _ = try TableChain.of(Self.self)
        var rows = encoded
        let generatesKey = rows[0].first { $0.column == primaryKey }?.value.isNull ?? true
        return try connection.inTransaction(if: rows.count > 1) {
            var generated: DatabaseValue?
            for (index, table) in tableChain.enumerated() {
                if generatesKey {
                    if index == 0 {
                        rows[0].removeAll { $0.column == primaryKey }
                    } else if let generated, let position = rows[index].firstIndex(where: { $0.column == primaryKey }) {
                        rows[index][position].value = generated
                    }
                }
                let returnsKey = generatesKey && index == 0
                let cacheKey = StatementCache.Key(
                    type: ObjectIdentifier(Self.self), purpose: .insert(level: index, returningKey: returnsKey),
                    dialect: connection.dialect)
                let statement = StatementCache.statement(cacheKey, columns: rows[index].map(\.column)) {
                    insertStatement(
                        table: table, columns: rows[index], returningKey: returnsKey, dialect: connection.dialect)
                }
                let values = rows[index].map(\.value)
                if returnsKey {
                    generated = try connection.query(statement, values).first?[primaryKey]
                } else {
                    try connection.execute(statement, values)
                }
            }
            return generated
        }
    }

    /// Writes encoded rows over the rows with this key, on one connection.
    static func update(
        _ rows: [[(column: String, value: DatabaseValue)]], key keyValue: DatabaseValue, on connection: Connection
    )
        throws
    {
        _ = try TableChain.of(Self.self)
        let typed = Self.self is any InheritanceMember.Type
        try connection.inTransaction(if: rows.count > 1) {
            for (index, table) in tableChain.enumerated() {
                let assignments = rows[index].filter {
                    $0.column != primaryKey && !(typed && index == 0 && $0.column == "pulp_type")
                }
                guard !assignments.isEmpty else { continue }
                let cacheKey = StatementCache.Key(
                    type: ObjectIdentifier(Self.self), purpose: .update(level: index), dialect: connection.dialect)
                let statement = StatementCache.statement(cacheKey, columns: assignments.map(\.column)) {
                    let setList = assignments.enumerated().map { position, column in
                        "\(quoteIdentifier(column.column)) = \(connection.dialect.placeholder(position + 1))"
                    }
                    return "UPDATE \(quoteIdentifier(table)) SET \(setList.joined(separator: ", ")) WHERE "
                        + "\(quoteIdentifier(primaryKey)) = \(connection.dialect.placeholder(assignments.count + 1))"
                }
                let changed = try connection.execute(statement, assignments.map(\.value) + [keyValue])
                if changed == 0 { throw PersistenceError.notFound(table: table, key: keyValue) }
            }
        }
    }

    /// Deletes the rows with this key, most derived first, on one connection.
    static func delete(key keyValue: DatabaseValue, on connection: Connection) throws {
        _ = try TableChain.of(Self.self)
        try connection.inTransaction(if: tableChain.count > 1) {
            for table in tableChain.reversed() {
                let statement =
                    "DELETE FROM \(quoteIdentifier(table)) WHERE \(quoteIdentifier(primaryKey)) = \(connection.dialect.placeholder(1))"
                if try connection.execute(statement, [keyValue]) == 0 {
                    throw PersistenceError.notFound(table: table, key: keyValue)
                }
            }
        }
    }

    func checkValid() throws {
        var errors = ValidationErrors()
        validateAll(&errors)
        if !errors.isEmpty { throw errors }
    }

    func primaryKeyValue(_ rows: [[(column: String, value: DatabaseValue)]]) throws -> DatabaseValue {
        let key = Self.primaryKey
        guard let value = rows[0].first(where: { $0.column == key })?.value, !value.isNull else {
            throw PersistenceError.missingPrimaryKey(type: "\(Self.self)", column: key)
        }
        return value
    }

    private static func insertStatement(
        table: String, columns: [(column: String, value: DatabaseValue)], returningKey: Bool, dialect: Dialect
    ) -> String {
        let names = columns.map { quoteIdentifier($0.column) }.joined(separator: ", ")
        let placeholders = columns.indices.map { dialect.placeholder($0 + 1) }.joined(separator: ", ")
        var statement =
            columns.isEmpty
            ? "INSERT INTO \(quoteIdentifier(table)) DEFAULT VALUES"
            : "INSERT INTO \(quoteIdentifier(table)) (\(names)) VALUES (\(placeholders))"
        if returningKey { statement += " RETURNING \(quoteIdentifier(primaryKey))" }
        return statement
    }
}

extension Connection {
    /// Runs `body` in a transaction when `condition` holds (several statements), else directly.
    func inTransaction<T>(if condition: Bool, _ body: () throws -> T) throws -> T {
        condition ? try transaction(body) : try body()
    }
}

/// A write that could not be done as asked.
public enum PersistenceError: Error, Sendable, CustomStringConvertible {
    /// No row of `table` has this primary key.
    case notFound(table: String, key: DatabaseValue)
    /// The value's primary key is NULL, so it cannot name a row.
    case missingPrimaryKey(type: String, column: String)
    /// A master row's `pulp_type` names a detail type whose row is missing.
    case missingDetailRow(table: String, key: DatabaseValue)
    /// A typed cast (``MasterModel/cast(_:as:on:)``) met a value of another type at `position`.
    case wrongDetailType(expected: String, pulpType: String, position: Int)

    /// A message naming the table and key, or the type and position.
    public var description: String {
        switch self {
        case .notFound(let table, let key): "no row of \(table) has primary key \(key)"
        case .missingPrimaryKey(let type, let column): "\(type) has no primary key value (\(column) is NULL)"
        case .missingDetailRow(let table, let key): "the detail row of \(table) for primary key \(key) is missing"
        case .wrongDetailType(let expected, let pulpType, let position):
            "value \(position) of the list has pulp_type \(pulpType), which is not \(expected) or a type extending it"
        }
    }
}
