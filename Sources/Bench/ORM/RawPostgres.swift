import CLibPQ
import Foundation
import TandemDatabase

/// The baseline on libpq: named prepared statements, text parameters, text results.
final class RawPostgres: RawBaseline {
    private let connection: OpaquePointer
    private var preparedCast: Int?

    init(parameters: [String: String]) throws {
        let keywords = Array(parameters.keys)
        let values = keywords.map { parameters[$0]! }
        var keywordPointers = keywords.map { UnsafePointer(strdup($0)) } + [nil]
        var valuePointers = values.map { UnsafePointer(strdup($0)) } + [nil]
        defer {
            keywordPointers.forEach { free(UnsafeMutablePointer(mutating: $0)) }
            valuePointers.forEach { free(UnsafeMutablePointer(mutating: $0)) }
        }
        guard let connection = PQconnectdbParams(&keywordPointers, &valuePointers, 0), PQstatus(connection) == CONNECTION_OK
        else { throw RawBenchmarkError(description: "raw libpq connection failed") }
        self.connection = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    func setUp() throws {
        try exec("SET TIME ZONE 'UTC'")
        try exec(benchTables(prefix: "raw", dialect: .postgres))
        try prepare("insert_master", RawSQL.insertMaster)
        try prepare("insert_detail", RawSQL.insertDetail)
        try prepare("begin", "BEGIN")
        try prepare("commit", "COMMIT")
        try prepare("get", RawSQL.get)
        try prepare("list", RawSQL.list)
    }

    func create(_ values: [RawFileRemote]) throws {
        for value in values {
            let master = value.master
            try run("begin", [])
            try run("insert_master", [
                master.pulpID.uuidString.lowercased(), master.pulpType, master.name, master.url, master.policy,
                master.downloadConcurrency.map(String.init), TimestampFormat.string(from: master.created),
            ])
            try run("insert_detail", [master.pulpID.uuidString.lowercased(), value.manifest])
            try run("commit", [])
        }
    }

    func get(_ keys: [UUID]) throws -> Int {
        var found = 0
        for key in keys {
            let result = try run("get", [key.uuidString.lowercased()])
            defer { PQclear(result) }
            for row in 0..<PQntuples(result) {
                _ = detail(result, row)
                found += 1
            }
        }
        return found
    }

    func listMasters() throws -> [RawRemote] {
        let result = try run("list", ["file.file"])
        defer { PQclear(result) }
        return (0..<PQntuples(result)).map { master(result, $0) }
    }

    func cast(_ masters: [RawRemote]) throws -> [RawFileRemote] {
        if preparedCast != masters.count {
            try prepare("cast_\(masters.count)", RawSQL.cast(count: masters.count))
            preparedCast = masters.count
        }
        let result = try run("cast_\(masters.count)", masters.map { $0.pulpID.uuidString.lowercased() })
        defer { PQclear(result) }
        return (0..<PQntuples(result)).map { detail(result, $0) }
    }

    private func master(_ result: OpaquePointer, _ row: Int32) -> RawRemote {
        RawRemote(
            pulpID: UUID(uuidString: text(result, row, 0)!)!, pulpType: text(result, row, 1)!, name: text(result, row, 2)!,
            url: text(result, row, 3)!, policy: text(result, row, 4)!, downloadConcurrency: text(result, row, 5).flatMap { Int($0) },
            created: TimestampFormat.date(from: text(result, row, 6)!)!)
    }

    private func detail(_ result: OpaquePointer, _ row: Int32) -> RawFileRemote {
        RawFileRemote(master: master(result, row), manifest: text(result, row, 7))
    }

    private func text(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String? {
        if PQgetisnull(result, row, column) != 0 { return nil }
        return String(cString: PQgetvalue(result, row, column))
    }

    private func exec(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result)
    }

    private func prepare(_ name: String, _ sql: String) throws {
        let result = PQprepare(connection, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result)
    }

    @discardableResult
    private func run(_ name: String, _ parameters: [String?]) throws -> OpaquePointer {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        let result = PQexecPrepared(connection, name, Int32(pointers.count), pointers, nil, nil, 0)
        try check(result)
        return result!
    }

    private func check(_ result: OpaquePointer?) throws {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw RawBenchmarkError(description: "raw libpq: " + String(cString: PQerrorMessage(connection)))
        }
    }
}
