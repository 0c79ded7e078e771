import ArgumentParser
import Foundation
import TandemDatabase

/// `tandem-bench api`: Tandem's HTTP API against bare Hummingbird routes running the same SQL.
struct APIBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Load Tandem's API and a bare Hummingbird server over loopback; compare them endpoint by endpoint.",
        discussion: """
            Starts, in this process, Tandem's API (the REST engine, a file-remote viewset, status, Basic \
            authentication with remembered credentials) and a bare Hummingbird router whose hand-written \
            handlers run the same SQL through TandemDatabase's connections, each on a free loopback port with \
            its own pool of --concurrency connections. Then, per endpoint (GET status, POST a file remote, \
            GET a list of 100, GET one object, the last three with Basic auth), --concurrency clients send \
            requests over keep-alive connections for --seconds per side, in alternating halves. Prints req/s, \
            p50 and p99 per side and the ratio Tandem/bare of the time per request (target: at most 1.5). \
            The header shows /proc/pressure/cpu: figures taken while its avg10 is above 10 % are noise. \
            The database must be migrated (`tandem migrate`): the run adds a user to core_user and removes \
            it after; uses the tables apibench_* and apibare_*, dropped and recreated.
            """
    )

    @Option(
        help: "Database URL (postgres://…, sqlite:path). Default: $TANDEM_DATABASE_URL, else sqlite:tandem.sqlite3.")
    var database: String?

    @Option(help: "Seconds of load per endpoint and side.")
    var seconds: Double = 10

    @Option(help: "Concurrent clients, each on its own keep-alive connection.")
    var concurrency = 4

    @Flag(help: "Print one JSON object keyed by endpoint instead of a table.")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be positive and at most 3600") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
    }

    func run() throws {
        let url = try DatabaseURL.resolve(flag: database)
        if case .sqliteMemory = url.location {
            throw ValidationError("use a SQLite file: an in-memory database cannot be shared by the two servers")
        }
        let benchmark = APIBenchmark(url: url, seconds: seconds, concurrency: concurrency)
        let results = try waitFor { try await benchmark.run() }
        let header =
            "tandem-bench api: \(url.dialect), \(concurrency) clients, \(seconds) s per endpoint and side; "
            + CPUPressure.read()
        print(
            json ? APIBenchmarkReport.json(results, header: header) : APIBenchmarkReport.table(results, header: header))
    }
}
