import CLibPQ
import Foundation

/// A libpq session. Statements are prepared on first use and reused by name.
final class PostgresDriver: Driver {
    private let connection: OpaquePointer
    private var preparedNames: [String: String] = [:]
    private var nextStatementNumber = 0
    /// Past this many prepared statements the cache starts over, bounding server memory.
    private let statementCacheLimit = 1000

    /// Opens a session with libpq connection keywords (`host`, `port`, `dbname`, …).
    init(parameters: [String: String]) throws {
        var keywords = Array(parameters.keys)
        keywords.append(contentsOf: ["client_encoding", "fallback_application_name"].filter { parameters[$0] == nil })
        let values = keywords.map { parameters[$0] ?? ($0 == "client_encoding" ? "UTF8" : "tandem") }
        let connection = Self.connect(keywords: keywords, values: values)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let connection { PQfinish(connection) }
            throw DatabaseError(
                kind: .connection, dialect: .postgres, code: nil,
                message: "cannot connect: " + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.connection = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        try executeScript("SET TIME ZONE 'UTC'")
    }

    deinit {
        PQfinish(connection)
    }

    var beginStatement: String { "BEGIN" }

    var isHealthy: Bool {
        PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE
    }

    func serverVersion() -> String {
        let number = Int(PQserverVersion(connection))
        return number >= 100_000 ? "\(number / 10_000).\(number % 10_000)" : "\(number / 10_000).\(number / 100 % 100).\(number % 100)"
    }

    func query(_ sql: String, _ values: [DatabaseValue]) throws -> [Row] {
        let result = try run(sql, values)
        defer { PQclear(result) }
        return PostgresResultReader(result).rows()
    }

    func execute(_ sql: String, _ values: [DatabaseValue]) throws -> Int {
        let result = try run(sql, values)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func executeScript(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// Executes a prepared statement, preparing it first if this session has not seen it.
    private func run(_ sql: String, _ values: [DatabaseValue]) throws -> OpaquePointer {
        let name = try preparedName(for: sql)
        let result = try PostgresParameters(values).withArrays { count, pointers, lengths, formats in
            PQexecPrepared(connection, name, count, pointers, lengths, formats, 0)
        }
        do {
            try check(result, sql)
        } catch let error as DatabaseError where error.code == "0A000" && error.message.contains("cached plan") {
            // The table under a cached plan changed shape: prepare again, once.
            PQclear(result)
            preparedNames[sql] = nil
            _ = try? executeScript("DEALLOCATE \(name)")
            return try run(sql, values)
        } catch {
            PQclear(result)
            throw error
        }
        return result!
    }

    private func preparedName(for sql: String) throws -> String {
        if let name = preparedNames[sql] { return name }
        if preparedNames.count >= statementCacheLimit {
            try executeScript("DEALLOCATE ALL")
            preparedNames.removeAll()
        }
        nextStatementNumber += 1
        let name = "tandem_\(nextStatementNumber)"
        let result = PQprepare(connection, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result, sql)
        preparedNames[sql] = name
        return name
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws {
        guard let result else {
            throw DatabaseError(
                kind: .connection, dialect: .postgres, code: nil,
                message: String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines),
                statement: sql)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let field = { (code: Int32) -> String? in PQresultErrorField(result, code).map { String(cString: $0) } }
            let sqlState = field(Int32(UInt8(ascii: "C")))
            var message = field(Int32(UInt8(ascii: "M")))
                ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            if let detail = field(Int32(UInt8(ascii: "D"))) { message += " (\(detail))" }
            let lost = PQstatus(connection) != CONNECTION_OK
            throw DatabaseError(
                kind: lost ? .connection : .statement, dialect: .postgres, code: sqlState, message: message, statement: sql)
        }
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer? {
        let keywordPointers = keywords.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer {
            keywordPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        return keywordPointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordBuffer in
            valuePointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 0)
            }
        }
    }
}
