import CSQLite
import Foundation

/// A sqlite3 session with foreign keys on, WAL journaling and a busy timeout.
/// Statements are prepared on first use and kept.
final class SQLiteDriver: Driver {
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    /// Past this many cached statements the cache starts over.
    private let statementCacheLimit = 1000
    /// The most values one statement may bind: SQLite's own default since 3.32. Distributions
    /// raise it (Debian's build allows 250,000), so code tested against one of those would fail on
    /// a stock build; every connection holds to the default instead (`sqlite3_limit` only ever
    /// lowers, so an older SQLite keeps its own smaller limit).
    static let maximumBoundValues: Int32 = 32_766

    /// Opens (creating if needed) the file at `path`, or a private in-memory database for `:memory:`.
    init(path: String, busyTimeout: Duration) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseError(
                kind: .connection, dialect: .sqlite, code: String(status), message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_limit(handle, SQLITE_LIMIT_VARIABLE_NUMBER, Self.maximumBoundValues)
        sqlite3_busy_timeout(handle, busyTimeout.timeoutMilliseconds)
        do {
            try executeScript("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL")
            if path != ":memory:" { try executeScript("PRAGMA journal_mode = WAL") }
        } catch {
            sqlite3_close_v2(handle)
            throw DatabaseError(
                kind: .connection, dialect: .sqlite, code: (error as? DatabaseError)?.code,
                message: "cannot open \(path): \((error as? DatabaseError)?.message ?? "\(error)")")
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    var beginStatement: String { "BEGIN IMMEDIATE" }

    var isHealthy: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// SQLite rolls back a failed statement, not the transaction around it.
    var transactionIsAborted: Bool { false }

    func serverVersion() -> String { String(cString: sqlite3_libversion()) }

    func query(_ sql: String, _ values: [DatabaseValue]) throws -> [Row] {
        let statement = try prepared(sql)
        try statement.bind(values)
        defer { statement.reset() }
        var rows: [Row] = []
        var columns: [String] = []
        var kinds: [SQLiteStatement.ColumnKind] = []
        while true {
            let status = sqlite3_step(statement.pointer)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status, sql) }
            if rows.isEmpty {
                // Taken once the statement runs: sqlite3_step silently prepares a statement again
                // after a schema change, its columns can move, and `resultColumns()` then reads them anew.
                (columns, kinds) = statement.resultColumns()
            }
            rows.append(Row(columns: columns, values: statement.values(kinds)))
        }
        return rows
    }

    func execute(_ sql: String, _ values: [DatabaseValue]) throws -> Int {
        let statement = try prepared(sql)
        try statement.bind(values)
        defer { statement.reset() }
        let changesBefore = sqlite3_total_changes64(handle)
        while true {
            let status = sqlite3_step(statement.pointer)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status, sql) }
        }
        // sqlite3_changes64 keeps the count of the last INSERT, UPDATE or DELETE, so a statement
        // that changed nothing (DDL, a SELECT) would report the count of an earlier one.
        return sqlite3_total_changes64(handle) == changesBefore ? 0 : Int(sqlite3_changes64(handle))
    }

    func executeScript(_ sql: String) throws {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status, sql) }
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        if statements.count >= statementCacheLimit { statements.removeAll() }
        var pointer: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let status = sql.withCString { text in
            let status = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, &tail)
            // Only whitespace or a final ';' may follow the first statement.
            if status == SQLITE_OK, let tail, String(cString: tail).contains(where: { !$0.isWhitespace && $0 != ";" }) {
                return SQLITE_MISUSE
            }
            return status
        }
        guard status == SQLITE_OK, let pointer else {
            sqlite3_finalize(pointer)
            if status == SQLITE_MISUSE {
                throw DatabaseError(
                    kind: .statement, dialect: .sqlite, code: String(status),
                    message: "several statements in one query; run them with executeScript", statement: sql)
            }
            throw error(status, sql)
        }
        let statement = SQLiteStatement(pointer)
        statements[sql] = statement
        return statement
    }

    private func error(_ status: Int32, _ sql: String) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(handle))
        let names = SQLiteConstraintNames(message: message)
        return DatabaseError(
            kind: .statement, dialect: .sqlite, code: String(sqlite3_extended_errcode(handle)), message: message,
            statement: sql, constraint: names.constraint, table: names.table, column: names.column)
    }
}
