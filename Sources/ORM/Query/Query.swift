import TandemDatabase

/// A query over one model type: filters, order and limits, then a terminal operation
/// (``all()``, ``first()``, ``count()``, ``update(_:)``, ``delete()``).
///
/// A detail type's query reads the joined master and detail rows in one statement, so every
/// value comes back complete. Filters may name columns of any level.
///
/// ```swift
/// let fileRemotes = try Remote.query(on: database)
///     .filter(Column("pulp_type") == FileRemote.pulpType)
///     .order(Column("name").ascending)
///     .limit(10)
///     .all()
/// ```
public struct Query<M: Model>: Sendable {
    let source: any ConnectionSource
    var predicate: SQLExpression?
    var orderings: [Ordering] = []
    var limit: Int?
    var offset: Int?

    init(source: any ConnectionSource) {
        self.source = source
    }

    /// Keeps the rows matching `expression`, in addition to earlier filters.
    public func filter(_ expression: some SQLExpressible) -> Query {
        var query = self
        query.predicate = predicate.map { .binary($0, .and, expression.sqlExpression) } ?? expression.sqlExpression
        return query
    }

    /// Orders the rows; later calls add further terms.
    public func order(_ orderings: Ordering...) -> Query {
        var query = self
        query.orderings += orderings
        return query
    }

    /// Orders the rows ascending by a column.
    public func order(_ column: Column) -> Query {
        order(column.ascending)
    }

    /// Returns at most `count` rows, after skipping `offset`.
    public func limit(_ count: Int, offset: Int? = nil) -> Query {
        var query = self
        query.limit = count
        query.offset = offset
        return query
    }

    /// Every matching value.
    public func all() throws -> [M] {
        try source.withConnection { try fetchAll(on: $0) }
    }

    /// The first matching value, or nil.
    public func first() throws -> M? {
        try limit(1, offset: offset).all().first
    }

    /// How many rows match.
    public func count() throws -> Int {
        try source.withConnection { try fetchCount(on: $0) }
    }

    /// Updates the matching rows in the database and returns how many changed.
    ///
    /// Assignments are computed by the database, so `Column("done").set(to: Column("done") + 1)`
    /// is safe under concurrency. They apply to this type's own table: for a detail type, its
    /// detail table (query the master type to update master columns in bulk).
    @discardableResult
    public func update(_ assignments: Assignment...) throws -> Int {
        precondition(!assignments.isEmpty, "an update needs at least one assignment")
        return try source.withConnection { connection in try runUpdate(assignments, on: connection) }
    }

    /// Deletes the matching rows and returns how many were deleted. For master and detail types
    /// the master rows are deleted, and the database's cascade removes their detail rows.
    @discardableResult
    public func delete() throws -> Int {
        try source.withConnection { try runDelete(on: $0) }
    }

    /// Reads the matching values on one connection.
    func fetchAll(on connection: Connection) throws -> [M] {
        let (sql, values) = try selectStatement(dialect: connection.dialect)
        let decode = RowDecoder.decoder(for: M.self)
        return try connection.query(sql, values).map(decode)
    }

    /// The SELECT of the matching values and its bound values.
    func selectStatement(dialect: Dialect) throws(ModelDefinitionError) -> (sql: String, values: [DatabaseValue]) {
        var builder = SQLBuilder(dialect: dialect)
        builder.append("SELECT \(try TableChain.of(M.self).selectList) FROM ")
        try appendBody(to: &builder, ordered: true)
        return (builder.sql, builder.values)
    }

    /// Counts the matching rows on one connection.
    func fetchCount(on connection: Connection) throws -> Int {
        var builder = SQLBuilder(dialect: connection.dialect)
        builder.append("SELECT count(*) AS \(quoteIdentifier("count")) FROM ")
        try appendBody(to: &builder, ordered: false)
        return try connection.query(builder.sql, builder.values)[0].decode(Int.self, "count")
    }

    /// Runs the UPDATE on one connection.
    func runUpdate(_ assignments: [Assignment], on connection: Connection) throws -> Int {
        var builder = SQLBuilder(dialect: connection.dialect)
        builder.append("UPDATE \(quoteIdentifier(M.tableName)) SET ")
        for (index, assignment) in assignments.enumerated() {
            builder.append((index > 0 ? ", " : "") + quoteIdentifier(assignment.column) + " = ")
            builder.append(assignment.value)
        }
        try appendTargetFilter(to: &builder)
        return try connection.execute(builder.sql, builder.values)
    }

    /// Runs the DELETE on one connection.
    func runDelete(on connection: Connection) throws -> Int {
        var builder = SQLBuilder(dialect: connection.dialect)
        builder.append("DELETE FROM \(quoteIdentifier(M.tableChain[0]))")
        try appendTargetFilter(to: &builder, table: M.tableChain[0])
        return try connection.execute(builder.sql, builder.values)
    }

    /// `FROM … WHERE … ORDER BY … LIMIT …`, without the leading `FROM`.
    private func appendBody(to builder: inout SQLBuilder, ordered: Bool) throws(ModelDefinitionError) {
        let chain = try TableChain.of(M.self)
        builder.columnReference = chain.columnReference
        builder.append(chain.fromClause)
        if let predicate {
            builder.append(" WHERE ")
            builder.append(predicate)
        }
        if ordered, !orderings.isEmpty {
            builder.append(" ORDER BY ")
            builder.append(
                orderings.map { chain.columnReference($0.column) + ($0.descending ? " DESC" : " ASC") }.joined(
                    separator: ", "))
        }
        if let limit {
            builder.append(" LIMIT ")
            builder.bind(.integer(Int64(limit)))
        }
        if let offset {
            builder.append(limit == nil && builder.dialect == .sqlite ? " LIMIT -1 OFFSET " : " OFFSET ")
            builder.bind(.integer(Int64(offset)))
        }
    }

    /// The WHERE clause of an UPDATE or DELETE on one table: the filter itself when the query
    /// reads that table alone, else the keys the full query selects.
    private func appendTargetFilter(to builder: inout SQLBuilder, table: String = M.tableName)
        throws(ModelDefinitionError)
    {
        let chain = try TableChain.of(M.self)
        if chain.tables.count == 1, limit == nil, offset == nil, orderings.isEmpty {
            guard let predicate else { return }
            builder.append(" WHERE ")
            builder.append(predicate)
            return
        }
        builder.append(" WHERE \(quoteIdentifier(chain.primaryKey)) IN (SELECT \(chain.masterKey) FROM ")
        try appendBody(to: &builder, ordered: true)
        builder.append(")")
        builder.columnReference = { quoteIdentifier($0) }
    }
}

extension Model {
    /// A query over this type's rows.
    public static func query(on source: some ConnectionSource) -> Query<Self> {
        Query(source: source)
    }

    /// The value whose primary key is `key`, or nil.
    ///
    /// No `LIMIT`: the key matches one row at most, and a bound `LIMIT` can make PostgreSQL's
    /// generic plan for the prepared statement skip the primary-key index.
    public static func find(_ key: some DatabaseValueConvertible, on source: some ConnectionSource) throws -> Self? {
        let value = key.databaseValue
        return try source.withConnection { connection in try fetchOne(key: value, on: connection) }
    }

    /// Reads the value with this primary key on one connection, through a statement built once
    /// per type: a lookup by key is the hottest read there is. Usable from inlinable code: the
    /// async `find(_:on:)` is specialised in its caller's module.
    @usableFromInline
    static func fetchOne(key: DatabaseValue, on connection: Connection) throws -> Self? {
        // No row has a NULL key, and `= NULL` would be `IS NULL`, another statement.
        guard !key.isNull else { return nil }
        let cacheKey = StatementCache.Key(
            type: ObjectIdentifier(Self.self), purpose: .find, dialect: connection.dialect)
        let sql = try StatementCache.statement(cacheKey) { () throws(ModelDefinitionError) in
            try query(on: connection).filter(Column(primaryKey) == key).selectStatement(dialect: connection.dialect).sql
        }
        // One row, decoded directly: `Optional.map` over `RowDecoder.decoder(for:)` cost an
        // unspecialized generic call, a closure and a boxed reader per lookup.
        guard let row = try connection.query(sql, [key]).first else { return nil }
        return try RowDecoder.decode(Self.self, from: row)
    }
}
