import TandemDatabase

extension Model {
    /// Validates and inserts this value: one row per table of ``tableChain``, in one transaction.
    ///
    /// A detail's master gets `pulp_type` set to the detail's type. When the primary key encodes
    /// as NULL, the database generates it and ``didInsert(primaryKey:)`` receives it.
    /// - Throws: ``ValidationErrors`` (nothing written) or ``DatabaseError``.
    public mutating func create(on source: some ConnectionSource) throws {
        willInsert()
        try checkValid()
        var rows = try encodeRows()
        let key = Self.primaryKey
        let generatesKey = rows[0].first { $0.column == key }?.value.isNull ?? true
        let generated: DatabaseValue? = try source.withConnection { connection in
            try connection.inTransaction(if: rows.count > 1) {
                var generated: DatabaseValue?
                for (index, table) in Self.tableChain.enumerated() {
                    if generatesKey {
                        if index == 0 {
                            rows[0].removeAll { $0.column == key }
                        } else if let generated, let position = rows[index].firstIndex(where: { $0.column == key }) {
                            rows[index][position].value = generated
                        }
                    }
                    let returnsKey = generatesKey && index == 0
                    let cacheKey = StatementCache.Key(
                        type: ObjectIdentifier(Self.self), purpose: "insert \(index) \(returnsKey)", dialect: connection.dialect)
                    let statement = StatementCache.statement(cacheKey, columns: rows[index].map(\.column)) {
                        Self.insertStatement(table: table, columns: rows[index], returningKey: returnsKey, dialect: connection.dialect)
                    }
                    let values = rows[index].map(\.value)
                    if returnsKey {
                        generated = try connection.query(statement, values).first?[0]
                    } else {
                        try connection.execute(statement, values)
                    }
                }
                return generated
            }
        }
        if let generated { didInsert(primaryKey: generated) }
    }

    /// Validates and writes this value's columns to every table of ``tableChain``, in one transaction.
    /// - Throws: ``ValidationErrors`` (nothing written), ``PersistenceError/notFound(table:key:)``
    ///   when no row has this key, or ``DatabaseError``.
    public func update(on source: some ConnectionSource) throws {
        try checkValid()
        let rows = try encodeRows()
        let (key, keyValue) = try primaryKeyValue(rows)
        try source.withConnection { connection in
            try connection.inTransaction(if: rows.count > 1) {
                for (index, table) in Self.tableChain.enumerated() {
                    let assignments = rows[index].filter { $0.column != key }
                    guard !assignments.isEmpty else { continue }
                    let cacheKey = StatementCache.Key(type: ObjectIdentifier(Self.self), purpose: "update \(index)", dialect: connection.dialect)
                    let statement = StatementCache.statement(cacheKey, columns: assignments.map(\.column)) {
                        let setList = assignments.enumerated().map { position, column in
                            "\(quoteIdentifier(column.column)) = \(connection.dialect.placeholder(position + 1))"
                        }
                        return "UPDATE \(quoteIdentifier(table)) SET \(setList.joined(separator: ", ")) WHERE "
                            + "\(quoteIdentifier(key)) = \(connection.dialect.placeholder(assignments.count + 1))"
                    }
                    let changed = try connection.execute(statement, assignments.map(\.value) + [keyValue])
                    if changed == 0 { throw PersistenceError.notFound(table: table, key: keyValue) }
                }
            }
        }
    }

    /// Deletes this value: its rows in every table of ``tableChain``, most derived first, in one
    /// transaction (deeper detail rows go with the master's through `ON DELETE CASCADE`).
    /// - Throws: ``PersistenceError/notFound(table:key:)`` when no row has this key.
    public func delete(on source: some ConnectionSource) throws {
        let (key, keyValue) = try primaryKeyValue(try encodeRows())
        try source.withConnection { connection in
            try connection.inTransaction(if: Self.tableChain.count > 1) {
                for table in Self.tableChain.reversed() {
                    let statement = "DELETE FROM \(quoteIdentifier(table)) WHERE \(quoteIdentifier(key)) = \(connection.dialect.placeholder(1))"
                    if try connection.execute(statement, [keyValue]) == 0 {
                        throw PersistenceError.notFound(table: table, key: keyValue)
                    }
                }
            }
        }
    }

    private func checkValid() throws {
        var errors = ValidationErrors()
        validateAll(&errors)
        if !errors.isEmpty { throw errors }
    }

    private func primaryKeyValue(_ rows: [[(column: String, value: DatabaseValue)]]) throws -> (String, DatabaseValue) {
        let key = Self.primaryKey
        guard let value = rows[0].first(where: { $0.column == key })?.value, !value.isNull else {
            throw PersistenceError.missingPrimaryKey(type: "\(Self.self)", column: key)
        }
        return (key, value)
    }

    private static func insertStatement(
        table: String, columns: [(column: String, value: DatabaseValue)], returningKey: Bool, dialect: Dialect
    ) -> String {
        let names = columns.map { quoteIdentifier($0.column) }.joined(separator: ", ")
        let placeholders = columns.indices.map { dialect.placeholder($0 + 1) }.joined(separator: ", ")
        var statement = columns.isEmpty
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

    /// A message naming the table and key.
    public var description: String {
        switch self {
        case .notFound(let table, let key): "no row of \(table) has primary key \(key)"
        case .missingPrimaryKey(let type, let column): "\(type) has no primary key value (\(column) is NULL)"
        case .missingDetailRow(let table, let key): "the detail row of \(table) for primary key \(key) is missing"
        }
    }
}
