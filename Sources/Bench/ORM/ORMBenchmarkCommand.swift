import ArgumentParser
import Foundation
import TandemDatabase
import TandemORM

/// `tandem-bench orm`: the ORM against hand-written driver code, phase by phase.
struct ORMBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orm",
        abstract: "Create, get, list through the master and cast N detail objects; compare with raw driver code.",
        discussion: """
            Each phase runs through Tandem's ORM and through hand-written libpq / sqlite3 code with the same
            statements, prepared once, in the same process. The ratio is Tandem's time over the raw code's
            (target: at most 1.5). Uses the tables bench_* and raw_*, dropped and recreated.
            """
    )

    @Option(help: "Database URL (postgres://…, sqlite:path). Default: $TANDEM_DATABASE_URL, else sqlite:tandem.sqlite3.")
    var database: String?

    @Option(help: "How many detail objects to create.")
    var count = 10_000

    @Option(help: "How many times the list and cast phases run (each reads all N objects).")
    var repeats = 5

    @Flag(help: "Print one JSON object keyed by phase instead of a table.")
    var json = false

    func validate() throws {
        guard count > 0, repeats > 0 else { throw ValidationError("--count and --repeats must be positive") }
    }

    func run() throws {
        let url = try DatabaseURL.resolve(flag: database)
        let database = try Database(url: url, maximumConnections: 1)
        let raw: any RawBaseline
        switch url.location {
        case .postgres(let parameters): raw = try RawPostgres(parameters: parameters)
        case .sqliteFile(let path): raw = try RawSQLite(path: path)
        case .sqliteMemory: throw ValidationError("use a SQLite file: an in-memory database cannot be shared with the raw baseline")
        }
        try raw.setUp()
        let results = try database.withConnection { connection in
            try connection.executeScript(benchTables(prefix: "bench", dialect: connection.dialect))
            return try ORMBenchmark(connection: connection, raw: raw, count: count, repeats: repeats).run()
        }
        try ResultPrinter.print(
            results, json: json,
            header: "tandem-bench orm: \(url.dialect) \(database.withConnection { $0.serverVersion() }), N = \(count)")
    }
}

/// Runs the four phases on both sides, alternating so that neither always runs on a warmer machine.
struct ORMBenchmark {
    let connection: Connection
    let raw: any RawBaseline
    let count: Int
    let repeats: Int

    func run() throws -> [PhaseResult] {
        let remotes = (0..<count).map { index in
            BenchFileRemote(
                parent: BenchRemote(
                    pulpID: UUID(), name: "remote \(index)", url: "https://example.com/\(index)/", downloadConcurrency: index % 7 == 0 ? nil : 10, created: Date()),
                manifest: index % 3 == 0 ? nil : "PULP_MANIFEST")
        }
        let rawRemotes = remotes.map { remote in
            RawFileRemote(
                master: RawRemote(
                    pulpID: remote.pulpID, pulpType: "file.file", name: remote.name, url: remote.url, policy: remote.policy,
                    downloadConcurrency: remote.downloadConcurrency, created: remote.created),
                manifest: remote.manifest)
        }
        let keys = remotes.map(\.pulpID)
        let registry = ModelRegistry()
        registry.register(BenchFileRemote.self)

        let rawCreate = try measure { try raw.create(rawRemotes) }
        let ormCreate = try measure {
            for var remote in remotes { try remote.create(on: connection) }
        }

        var ormFound = 0, rawFound = 0
        let ormGet = try measure {
            for key in keys where try BenchFileRemote.find(key, on: connection) != nil { ormFound += 1 }
        }
        let rawGet = try measure { rawFound = try raw.get(keys) }
        try expect(ormFound == count && rawFound == count, "get found \(ormFound) / \(rawFound) of \(count)")

        var masters: [BenchRemote] = [], rawMasters: [RawRemote] = []
        let rawList = try measure { for _ in 0..<repeats { rawMasters = try raw.listMasters() } }
        let ormList = try measure {
            for _ in 0..<repeats {
                masters = try BenchRemote.query(on: connection).filter(Column("pulp_type") == BenchFileRemote.pulpType).all()
            }
        }
        try expect(masters.count == count && rawMasters.count == count, "list read \(masters.count) / \(rawMasters.count)")

        var cast: [any InheritanceMember] = [], rawCast: [RawFileRemote] = []
        let ormCast = try measure { for _ in 0..<repeats { cast = try BenchRemote.cast(masters, on: connection, registry: registry) } }
        let rawCastTime = try measure { for _ in 0..<repeats { rawCast = try raw.cast(rawMasters) } }
        try expect(cast.count == count && cast.allSatisfy { $0 is BenchFileRemote } && rawCast.count == count, "cast")

        let listed = Double(count * repeats)
        return [
            PhaseResult(phase: "create", ormOpsPerSecond: Double(count) / ormCreate, rawOpsPerSecond: Double(count) / rawCreate),
            PhaseResult(phase: "get", ormOpsPerSecond: Double(count) / ormGet, rawOpsPerSecond: Double(count) / rawGet),
            PhaseResult(phase: "list", ormOpsPerSecond: listed / ormList, rawOpsPerSecond: listed / rawList),
            PhaseResult(phase: "cast", ormOpsPerSecond: listed / ormCast, rawOpsPerSecond: listed / rawCastTime),
        ]
    }

    private func expect(_ condition: Bool, _ what: String) throws {
        if !condition { throw RawBenchmarkError(description: "benchmark check failed: \(what)") }
    }
}
