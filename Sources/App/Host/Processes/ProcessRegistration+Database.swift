import TandemDatabase

extension ProcessRegistration {
    /// A database for a registration beside `database`: a new one-connection `Database` on the
    /// same URL, so that a pool busy with requests or tasks never delays a heartbeat; `database`
    /// itself for `sqlite::memory:`, where a second `Database` would be another, empty database.
    /// Close the result when it is not `database`.
    /// - Throws: the database's error when the connection cannot be opened.
    public static func database(beside database: Database) throws -> Database {
        if case .sqliteMemory = database.url.location { return database }
        return try Database(url: database.url, maximumConnections: 1)
    }
}
