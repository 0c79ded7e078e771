import CLibPQ
import Foundation
@_spi(Benchmarks) import TandemDatabase

/// The baseline on libpq: named prepared statements, text parameters, text results.
///
/// It runs on the ORM's own server session (the pool's one connection), through its libpq
/// handle: the server process, and where the kernel placed it, is the same for both sides, so
/// the ratio measures the client code alone.
final class RawPostgres: RawBaseline {
    private let database: Database
    private var preparedCast: Int?

    init(database: Database) {
        self.database = database
    }

    func setUp() throws {
        try onSession { connection in
            try Self.exec(connection, benchTables(prefix: "raw", dialect: .postgres))
            try Self.prepare(connection, "raw_insert_master", RawSQL.insertMaster)
            try Self.prepare(connection, "raw_insert_detail", RawSQL.insertDetail)
            try Self.prepare(connection, "raw_begin", "BEGIN")
            try Self.prepare(connection, "raw_commit", "COMMIT")
            try Self.prepare(connection, "raw_get", RawSQL.get)
            try Self.prepare(connection, "raw_list", RawSQL.list)
        }
    }

    func create(_ values: [RawFileRemote]) throws {
        try onSession { connection in
            for value in values {
                let master = value.master
                PQclear(try Self.run(connection, "raw_begin", []))
                PQclear(
                    try Self.run(
                        connection, "raw_insert_master",
                        [
                            master.pulpID.uuidString.lowercased(), master.pulpType, master.name, master.url,
                            master.policy,
                            master.downloadConcurrency.map(String.init), TimestampFormat.string(from: master.created),
                        ]))
                PQclear(
                    try Self.run(
                        connection, "raw_insert_detail", [master.pulpID.uuidString.lowercased(), value.manifest]))
                PQclear(try Self.run(connection, "raw_commit", []))
            }
        }
    }

    func get(_ keys: [UUID]) throws -> Int {
        try onSession { connection in
            var found = 0
            for key in keys {
                let result = try Self.run(connection, "raw_get", [key.uuidString.lowercased()])
                defer { PQclear(result) }
                for row in 0..<PQntuples(result) {
                    _ = Self.detail(result, row)
                    found += 1
                }
            }
            return found
        }
    }

    func listMasters() throws -> [RawRemote] {
        try onSession { connection in
            let result = try Self.run(connection, "raw_list", ["file.file"])
            defer { PQclear(result) }
            return (0..<PQntuples(result)).map { Self.master(result, $0) }
        }
    }

    func cast(_ masters: [RawRemote]) throws -> [RawFileRemote] {
        let name = "raw_cast_\(masters.count)"
        let prepared = preparedCast == masters.count
        let details = try onSession { connection in
            if !prepared { try Self.prepare(connection, name, RawSQL.cast(count: masters.count)) }
            let result = try Self.run(connection, name, masters.map { $0.pulpID.uuidString.lowercased() })
            defer { PQclear(result) }
            return (0..<PQntuples(result)).map { Self.detail(result, $0) }
        }
        preparedCast = masters.count
        return details
    }

    /// Runs `body` with the libpq handle of the ORM's session.
    private func onSession<T: Sendable>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try database.withConnection { connection in
            guard let value = try connection.withLibPQHandle(body) else {
                throw RawBenchmarkError(description: "the raw libpq baseline needs a PostgreSQL session")
            }
            return value
        }
    }

    private static func master(_ result: OpaquePointer, _ row: Int32) -> RawRemote {
        RawRemote(
            pulpID: UUID(uuidString: text(result, row, 0)!)!, pulpType: text(result, row, 1)!,
            name: text(result, row, 2)!,
            url: text(result, row, 3)!, policy: text(result, row, 4)!,
            downloadConcurrency: text(result, row, 5).flatMap { Int($0) },
            created: TimestampFormat.date(from: text(result, row, 6)!)!)
    }

    private static func detail(_ result: OpaquePointer, _ row: Int32) -> RawFileRemote {
        RawFileRemote(master: master(result, row), manifest: text(result, row, 7))
    }

    private static func text(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String? {
        if PQgetisnull(result, row, column) != 0 { return nil }
        return String(cString: PQgetvalue(result, row, column))
    }

    private static func exec(_ connection: OpaquePointer, _ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(connection, result)
    }

    private static func prepare(_ connection: OpaquePointer, _ name: String, _ sql: String) throws {
        let result = PQprepare(connection, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(connection, result)
    }

    /// Executes a prepared statement; the caller clears the result.
    private static func run(_ connection: OpaquePointer, _ name: String, _ parameters: [String?]) throws
        -> OpaquePointer
    {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        let result = PQexecPrepared(connection, name, Int32(pointers.count), pointers, nil, nil, 0)
        do {
            try check(connection, result)
        } catch {
            PQclear(result)
            throw error
        }
        return result!
    }

    private static func check(_ connection: OpaquePointer, _ result: OpaquePointer?) throws {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw RawBenchmarkError(description: "raw libpq: " + String(cString: PQerrorMessage(connection)))
        }
    }
}
