import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TandemApp
import TandemDatabase
import TandemFile
import TandemHTTP
import TandemMigrations
import TandemORM
import TandemTasks
import TandemTesting

/// The files a test's manifest server serves, by path; changed while it runs.
final class ServedFiles: Sendable {
    private let files = Mutex<[String: String]>([:])

    subscript(_ path: String) -> String? {
        get { files.withLock { $0[path] } }
        set { files.withLock { $0[path] = newValue } }
    }
}

/// A SHA-256-shaped digest made of one repeated hexadecimal digit.
func digest(_ digit: Character) -> String { String(repeating: digit, count: 64) }

/// What a sync test works with.
struct SyncFixture: Sendable {
    /// The API's test client.
    let client: any TestClientProtocol
    /// The API's task queue.
    let queue: TaskQueue
    /// The manifest server's files.
    let files: ServedFiles
    /// The manifest server's base URL, `http://127.0.0.1:<port>/`.
    let serverURL: String

    /// Runs every runnable task with a worker in this process, as `tandem worker --burst` does.
    func runWorker() async throws {
        _ = try await Worker(queue: queue).run(burst: true)
    }

    /// Creates a file remote and a file repository; returns their hrefs.
    func remoteAndRepository(url: String, name: String = "r") async throws -> (remote: String, repository: String) {
        let remote = try await client.json(
            .post, fileRemotesPath, #"{"name": "\#(name)", "url": "\#(url)"}"#)
        let repository = try await client.json(.post, fileRepositoriesPath, #"{"name": "\#(name)"}"#)
        guard let remoteHref = remote.json["pulp_href"]?.string,
            let repositoryHref = repository.json["pulp_href"]?.string
        else {
            throw SyncTestError(message: "cannot create the remote and repository: \(remote.json) \(repository.json)")
        }
        return (remoteHref, repositoryHref)
    }

    /// Dispatches a sync through the API, runs it, and returns the finished task.
    func sync(_ repository: String, remote: String, mirror: Bool? = nil) async throws -> JSONValue {
        let mirrorField = mirror.map { #", "mirror": \#($0)"# } ?? ""
        let answer = try await client.json(.post, repository + "sync/", #"{"remote": "\#(remote)"\#(mirrorField)}"#)
        guard answer.status == .accepted, let task = answer.json["task"]?.string else {
            throw SyncTestError(message: "sync answered \(answer.status): \(answer.json)")
        }
        try await runWorker()
        return try await client.json(.get, task).json
    }
}

/// Runs `body` with the core and file plugins' API, its task queue (with the file plugin's sync
/// and the general tasks) and a manifest server on a free loopback port.
func withSyncFixture(_ kind: TestDatabaseKind, _ body: @escaping @Sendable (SyncFixture) async throws -> Void)
    async throws
{
    let files = ServedFiles()
    let router = Router()
    // A manifest without a length, 1 GiB long: a sync must stop reading at its limit.
    router.get("endless/PULP_MANIFEST") { _, _ -> Response in
        Response(
            status: .ok,
            body: ResponseBody { writer in
                let chunk = ByteBuffer(string: String(repeating: "x", count: 1024))
                for _ in 0..<1_000_000 { try await writer.write(chunk) }
                try await writer.finish(nil)
            })
    }
    router.get("**") { request, _ -> Response in
        guard let text = files[request.uri.path] else { return Response(status: .notFound) }
        return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
    // A real server on 127.0.0.1 (the sync reads it with URLSession), on a free port.
    let (ports, announce) = AsyncStream.makeStream(of: Int.self)
    let server = Hummingbird.Application(
        router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) })
    let serving = Task { try await server.runService(gracefulShutdownSignals: []) }
    defer { serving.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0 else {
        throw SyncTestError(message: "the manifest server has no port")
    }
    let application = try TandemApp.Application(plugins: [CorePlugin(), FilePlugin()])
    try await withTestDatabase(kind) { database in
        _ = try Migrator(database: database, migrations: try application.loadMigrations().set).migrate()
        var api = try API(application: application, database: database)
        var registry = TaskRegistry.core
        try FilePlugin.registerTasks(in: &registry, maxManifestSize: 4096)
        try api.registerGeneralTasks(in: &registry)
        let queue = TaskQueue(
            database: database, registry: registry,
            settings: TaskSettings(
                workingDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
                    "tandem-sync-test-\(UUID().uuidString.prefix(8))")))
        api.tasks = queue
        try await Hummingbird.Application(router: api.router()).test(.router) { client in
            try await body(
                SyncFixture(client: client, queue: queue, files: files, serverURL: "http://127.0.0.1:\(port)/"))
        }
    }
}

/// A sync test's setup failed.
struct SyncTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

let fileRepositoriesPath = "/pulp/api/v3/repositories/file/file/"
let fileContentPath = "/pulp/api/v3/content/file/files/"
