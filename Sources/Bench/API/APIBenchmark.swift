import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import TandemDatabase
import TandemHTTP
import TandemORM

/// Runs the four endpoints against Tandem's API and the bare server, in alternating slices so
/// that both see the same machine load.
struct APIBenchmark: Sendable {
    let url: DatabaseURL
    let seconds: Double
    let concurrency: Int
    /// The user both servers authenticate: created for the run, deleted after it.
    private let userName = "tandem-bench-\(ProcessInfo.processInfo.processIdentifier)"
    private let password = UUID().uuidString

    init(url: DatabaseURL, seconds: Double, concurrency: Int) {
        self.url = url
        self.seconds = seconds
        self.concurrency = concurrency
    }

    /// Each endpoint's figures on both sides, in the order status, create, list, retrieve.
    func run() async throws -> [APIEndpointResult] {
        let tandemDatabase = try Database(url: url, maximumConnections: concurrency)
        let bareDatabase = try Database(url: url, maximumConnections: concurrency)
        defer {
            tandemDatabase.close()
            bareDatabase.close()
        }
        try await prepare(tandemDatabase)
        let storage = FileManager.default.temporaryDirectory.path
        let tandem = try await LoopbackServer.start(try tandemAPI(tandemDatabase, storage: storage).router())
        let bare = try await LoopbackServer.start(BareAPIServer(database: bareDatabase, storagePath: storage).router())
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(
                connectionPool: .init(
                    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency))
        )
        do {
            let results = try await measure(
                tandem: "http://127.0.0.1:\(tandem.port)", bare: "http://127.0.0.1:\(bare.port)", client: client)
            try await finish(client: client, servers: [tandem, bare], database: tandemDatabase)
            return results
        } catch {
            try? await finish(client: client, servers: [tandem, bare], database: tandemDatabase)
            throw error
        }
    }

    private func measure(tandem: String, bare: String, client: HTTPClient) async throws -> [APIEndpointResult] {
        let load = LoadGenerator(client: client, concurrency: concurrency)
        // 100 objects on each side, so that a list has a full page; one of them is retrieved.
        let seed = createRequest(prefix: "seed")
        var hrefs: [String: String] = [:]
        for base in [tandem, bare] {
            for n in 0..<100 {
                let response = try await client.execute(seed.make(base, n), timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 20)
                guard response.status == .created,
                    let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                    let href = object["pulp_href"] as? String
                else { throw BenchmarkError("seeding \(base): \(response.status.code)") }
                hrefs[base] = href
            }
        }
        let requests = [
            LoadRequest(name: "GET status", expected: .ok) { base, _ in
                HTTPClientRequest(url: base + "/pulp/api/v3/status/")
            },
            createRequest(prefix: "load"),
            LoadRequest(name: "GET list of 100", expected: .ok) { [self] base, _ in
                authorized(HTTPClientRequest(url: base + "/pulp/api/v3/remotes/file/file/?limit=100"))
            },
            LoadRequest(name: "GET one", expected: .ok) { [self, hrefs] base, _ in
                authorized(HTTPClientRequest(url: base + hrefs[base]!))
            },
        ]
        let slice = Duration.seconds(seconds / 2)
        var results: [APIEndpointResult] = []
        for request in requests {
            var result = APIEndpointResult(endpoint: request.name)
            for _ in 0..<2 {
                result.tandem.add(try await load.run(request, against: tandem, for: slice))
                result.bare.add(try await load.run(request, against: bare, for: slice))
            }
            results.append(result)
        }
        return results
    }

    /// `POST` of a file remote named `<prefix>-<n>`, with Basic auth.
    private func createRequest(prefix: String) -> LoadRequest {
        LoadRequest(name: "POST file remote", expected: .created) { [self] base, n in
            var request = authorized(HTTPClientRequest(url: base + "/pulp/api/v3/remotes/file/file/"))
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            let body = #"{"name": "\#(prefix)-\#(n)", "url": "https://example.com/\#(n)/"}"#
            request.body = .bytes(ByteBuffer(string: body))
            return request
        }
    }

    private func authorized(_ request: HTTPClientRequest) -> HTTPClientRequest {
        var request = request
        let credential = Data("\(userName):\(password)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credential)")
        return request
    }

    /// Tandem's API over the `apibench_*` tables, as `tandem serve` assembles it.
    private func tandemAPI(_ database: Database, storage: String) throws -> API {
        var api = API(database: database)
        api.register(
            ViewSet<APIBenchFileRemote>(
                "remotes/file/file", filters: [FilterField("name"), FilterField("url")],
                orderingFields: ["name", "pulp_created"], defaultOrdering: [Column("pulp_created").descending],
                uniqueFields: ["name"]))
        api.authentication = AuthenticationConfiguration()
        api.status = StatusConfiguration(
            versions: [ComponentVersion(component: "core", version: "1.0.0", package: "tandem", module: "TandemBench")],
            storagePath: storage)
        return api
    }

    /// Both sides' tables, and the user; refuses a database without Tandem's users table.
    private func prepare(_ database: Database) async throws {
        let dialect = database.dialect
        try await database.withConnection { connection in
            do {
                _ = try connection.query("SELECT COUNT(*) FROM core_user")
            } catch is DatabaseError {
                throw BenchmarkError("the database has no readable core_user table: run `tandem migrate` on it first")
            }
            try connection.executeScript(apiBenchTables(prefix: "apibench", dialect: dialect))
            try connection.executeScript(apiBenchTables(prefix: "apibare", dialect: dialect))
            _ = try connection.execute(
                "DELETE FROM core_user WHERE username = \(dialect.placeholder(1))", [.text(userName)])
        }
        try await UserStore(database: database, cost: 10).create(name: userName, password: password, isAdmin: true)
    }

    private func finish(client: HTTPClient, servers: [LoopbackServer], database: Database) async throws {
        try await client.shutdown()
        for server in servers { await server.stop() }
        let userName = userName
        try await database.withConnection { connection in
            try connection.executeScript(apiBenchDropTables)
            _ = try connection.execute(
                "DELETE FROM core_user WHERE username = \(connection.dialect.placeholder(1))", [.text(userName)])
        }
    }
}

/// One endpoint's figures on both sides.
struct APIEndpointResult: Sendable {
    /// The endpoint's name.
    let endpoint: String
    /// Through Tandem's API.
    var tandem = LoadResult()
    /// Through the bare server.
    var bare = LoadResult()

    init(endpoint: String) { self.endpoint = endpoint }

    /// Tandem's time per request over the bare server's (target: at most 1.5).
    var ratio: Double { tandem.perSecond > 0 ? bare.perSecond / tandem.perSecond : .infinity }
}
