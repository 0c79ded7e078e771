import TandemDatabase

extension ComponentRegistry {
    /// Moves a process's heartbeat to now, registering it again when its row is gone (another
    /// process judged it stale while it was paused): what every heartbeat does.
    public static func beatOrRegister(_ registration: ComponentRegistration, on connection: Connection) throws {
        if try !beat(id: registration.id, on: connection) {
            try register(registration, on: connection)
        }
    }

    /// Deletes the rows of processes that stopped reporting: a row of a kind in `limits` whose
    /// last heartbeat, by the database's clock, is older than that kind's limit. Rows of other
    /// kinds (another tool's) and the row `keeping` are left alone.
    ///
    /// - Returns: the removed rows, for the caller's log; nothing when the table does not exist.
    @discardableResult
    public static func removeStale(
        olderThan limits: [String: Duration], keeping id: String? = nil, on connection: Connection
    ) throws -> [ComponentRecord] {
        let p = connection.dialect.placeholder
        var removed: [ComponentRecord] = []
        for record in try components(on: connection) where record.id != id {
            guard let limit = limits[record.kind], record.heartbeatAge > limit.timeInterval else { continue }
            // The age is checked again in the statement: the process may have beaten since.
            let deleted = try connection.execute(
                """
                DELETE FROM \(quoteIdentifier(tableName))
                WHERE id = \(p(1)) AND \(heartbeatAgeExpression(connection.dialect)) > \(p(2))
                """, [.text(record.id), .double(limit.timeInterval)])
            if deleted == 1 { removed.append(record) }
        }
        return removed
    }

    /// Seconds since `last_heartbeat` by the database's clock, as an SQL expression.
    static func heartbeatAgeExpression(_ dialect: Dialect) -> String {
        switch dialect {
        case .postgres: "EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - last_heartbeat))::double precision"
        case .sqlite: "(julianday('now') - julianday(last_heartbeat)) * 86400.0"
        }
    }
}
