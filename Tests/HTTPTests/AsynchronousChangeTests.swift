import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TandemDatabase
import TandemHTTP
import TandemMigrations
import TandemORM
import TandemTasks
import TandemTesting
import Testing

/// Updates and deletes of viewsets whose changes run as tasks answer 202 with the task, as
/// Pulp's remotes and repositories do; invalid fields still answer 400 at once.
@Suite("HTTP: updates and deletes as tasks")
struct AsynchronousChangeTests {
    /// An API serving `remotes/file/file/` with changes as tasks, and the task endpoints.
    static func api(_ database: Database) throws -> API {
        var api = API(database: database)
        var remotes = ViewSet<TestFileRemote>("remotes/file/file", uniqueFields: ["name"])
        remotes.changesRunAsTasks = true
        api.register(remotes)
        return api
    }

    /// A queue whose registry knows the general tasks of `api`, as `tandem serve` and
    /// `tandem worker` build it.
    static func queue(_ database: Database, for api: API) throws -> TaskQueue {
        var registry = try httpTestRegistry()
        try api.registerGeneralTasks(in: &registry)
        return TaskQueue(
            database: database, registry: registry,
            settings: TaskSettings(
                workingDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
                    "tandem-http-tasks-\(UUID().uuidString.prefix(8))")))
    }

    static func withAPI(
        _ kind: TestDatabaseKind,
        _ body: @escaping @Sendable (any TestClientProtocol, TaskQueue, API) async throws -> Void
    ) async throws {
        try await withTestDatabase(kind) { database in
            try Migrator(database: database, migrations: try MigrationLoader.load(paths: [coreMigrationsFolder]))
                .migrate()
            try await database.withConnection { connection in
                try connection.execute(
                    """
                    CREATE TABLE file_fileremote (
                        pulp_id UUID PRIMARY KEY REFERENCES core_remote (pulp_id) ON DELETE CASCADE, sha256 TEXT)
                    """)
            }
            var api = try Self.api(database)
            let queue = try Self.queue(database, for: api)
            api.tasks = queue
            let served = api
            try await Application(router: served.router()).test(.router) { client in
                try await body(client, queue, served)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func updateAndDeleteAnswer202WithTheTask(_ kind: TestDatabaseKind) async throws {
        try await Self.withAPI(kind) { client, queue, _ in
            let created = try await client.json(
                .post, fileRemotesPath, #"{"name": "one", "url": "https://example.com/one/"}"#)
            #expect(created.status == .created)
            let href = try #require(created.json["pulp_href"]?.string)
            let id = String(href.dropFirst(fileRemotesPath.count).dropLast())

            let patched = try await client.json(.patch, href, #"{"url": "https://example.com/two/"}"#)
            #expect(patched.status == .accepted)
            #expect(patched.json.keys == ["task"])
            let taskHref = try #require(patched.json["task"]?.string)
            #expect(taskHref.hasPrefix(tasksPath))
            let task = try await client.json(.get, taskHref)
            #expect(task.json["name"]?.string == "core.general_update")
            #expect(task.json["state"]?.string == "completed")
            #expect(task.json["reserved_resources_record"] == .array([.string("prn:file.fileremote:\(id)")]))
            #expect(try await client.json(.get, href).json["url"]?.string == "https://example.com/two/")

            // Invalid fields are found before dispatch: 400 at once, and no task.
            let invalid = try await client.json(.patch, href, #"{"url": "nowhere", "color": "red"}"#)
            #expect(invalid.status == .badRequest)
            #expect(invalid.json.keys == ["url", "color"])
            let incomplete = try await client.json(.put, href, #"{"name": "one"}"#)
            #expect(incomplete.status == .badRequest)
            #expect(try await client.json(.get, tasksPath).json["count"]?.int == 1)
            #expect(try await client.json(.patch, fileRemotesPath + "\(UUID().uuidString)/", "{}").status == .notFound)

            let replaced = try await client.json(.put, href, #"{"name": "uno", "url": "https://example.com/3/"}"#)
            #expect(replaced.status == .accepted)
            #expect(try await client.json(.get, href).json["name"]?.string == "uno")

            let deleted = try await client.json(.delete, href)
            #expect(deleted.status == .accepted)
            let deleteTask = try await client.json(.get, try #require(deleted.json["task"]?.string))
            #expect(deleteTask.json["name"]?.string == "core.general_delete")
            #expect(deleteTask.json["state"]?.string == "completed")
            #expect(try await client.json(.get, href).status == .notFound)
            #expect(try await client.json(.delete, href).status == .notFound)
            #expect(try await queue.tasks(matching: TaskFilter(), limit: 10, offset: 0).count == 3)
        }
    }

    /// While the object is reserved, the change waits for a worker; a worker that registered the
    /// general tasks from its own API value applies it.
    @Test(arguments: TestDatabaseKind.engines)
    func aBusyObjectIsChangedByAWorker(_ kind: TestDatabaseKind) async throws {
        try await Self.withAPI(kind) { client, queue, _ in
            let created = try await client.json(
                .post, fileRemotesPath, #"{"name": "one", "url": "https://example.com/one/"}"#)
            let href = try #require(created.json["pulp_href"]?.string)
            let id = try #require(UUID(uuidString: String(href.dropFirst(fileRemotesPath.count).dropLast())))
            let blocker = try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 0),
                exclusiveResources: [.model(app: "file", model: "fileremote", id: id)])

            let patched = try await client.json(.patch, href, #"{"url": "https://example.com/later/"}"#)
            #expect(patched.status == .accepted)
            let taskHref = try #require(patched.json["task"]?.string)
            #expect(try await client.json(.get, taskHref).json["state"]?.string == "waiting")
            #expect(try await client.json(.get, href).json["url"]?.string == "https://example.com/one/")

            let workerQueue = try Self.queue(queue.database, for: try Self.api(queue.database))
            let report = try await Worker(queue: workerQueue).run(burst: true)
            #expect(report.finished[.completed] == 2)
            #expect(try await queue.task(blocker.id).state == .completed)
            #expect(try await client.json(.get, taskHref).json["state"]?.string == "completed")
            #expect(try await client.json(.get, href).json["url"]?.string == "https://example.com/later/")
        }
    }

    /// A change that became invalid while it waited fails its task with the API's message.
    @Test(arguments: TestDatabaseKind.engines)
    func aChangeThatBecameInvalidFailsItsTask(_ kind: TestDatabaseKind) async throws {
        try await Self.withAPI(kind) { client, queue, _ in
            let one = try await client.json(.post, fileRemotesPath, #"{"name": "one", "url": "https://a.example/"}"#)
            let href = try #require(one.json["pulp_href"]?.string)
            let id = try #require(UUID(uuidString: String(href.dropFirst(fileRemotesPath.count).dropLast())))
            try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 0),
                exclusiveResources: [.model(app: "file", model: "fileremote", id: id)])
            let renamed = try await client.json(.patch, href, #"{"name": "two"}"#)
            #expect(renamed.status == .accepted)
            // Meanwhile another remote takes the name.
            #expect(
                try await client.json(.post, fileRemotesPath, #"{"name": "two", "url": "https://b.example/"}"#).status
                    == .created)
            _ = try await Worker(queue: queue).run(burst: true)
            let task = try await client.json(.get, try #require(renamed.json["task"]?.string))
            #expect(task.json["state"]?.string == "failed")
            #expect(task.json["error"]?["description"]?.string?.contains("This field must be unique.") == true)
            #expect(try await client.json(.get, href).json["name"]?.string == "one")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func documentAnnounces202(_ kind: TestDatabaseKind) async throws {
        try await Self.withAPI(kind) { client, _, _ in
            let document = try await client.json(.get, "/pulp/api/v3/docs/api.json")
            let item = try #require(document.json["paths"]?["{file_file_remote_href}"])
            #expect(item["patch"]?["responses"]?["202"] != nil && item["patch"]?["responses"]?["200"] == nil)
            #expect(item["put"]?["responses"]?["202"] != nil)
            #expect(item["delete"]?["responses"]?["202"] != nil && item["delete"]?["responses"]?["204"] == nil)
            #expect(document.json["components"]?["schemas"]?["AsyncOperationResponse"] != nil)
        }
    }
}
