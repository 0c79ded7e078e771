import Foundation
import Synchronization
import TandemDatabase
import TandemTesting
import Testing

/// `tandem serve` stopping while the end of an immediate task it ran (an update answered 202)
/// could not be recorded yet: it waits for the recording, at most the immediate time limit,
/// instead of exiting and leaving the task to be marked failed.
///
/// PostgreSQL only: the test holds back only the writes that record a task's end, through a
/// trigger that waits for an advisory lock the test holds. On SQLite nothing can hold one write
/// of a process back without holding its others (the task's own change among them); the bounded
/// wait the server calls is tested on both engines in `ImmediateTaskEndTests`.
@Suite("tandem serve: stopping while a task's end is being recorded")
struct ServeShutdownTests {
    /// The advisory lock that the trigger waits for.
    static let endLock = 7_120_431

    @Test("a SIGTERM waits until the end is recorded, and exits 0 with the task completed")
    func waitsForTheEndToBeRecorded() async throws {
        try await withServerHoldingAnEnd { serve, test, task, holder in
            serve.askToStop()
            try await Task.sleep(for: .seconds(1))
            #expect(serve.isRunning, "the server exited with its task's end unrecorded\n\(serve.errors)")
            holder.release()
            #expect(try await serve.exitStatus() == 0, "\(serve.errors)")
            #expect(serve.errors.contains("waiting for the ends of immediate tasks"), "\(serve.errors)")
            #expect(try await Self.state(of: task, in: test) == "completed")
            let url = try await test.database.withConnection { connection in
                try connection.query("SELECT url FROM core_remote").first?.decode(String.self, "url")
            }
            #expect(url == "http://example.com/two/")
        }
    }

    @Test("a SIGTERM waits at most the immediate time limit, and names the task it leaves")
    func givesUpAtTheImmediateTimeLimit() async throws {
        try await withServerHoldingAnEnd { serve, test, task, holder in
            let asked = ContinuousClock.now
            serve.askToStop()
            let status = try await serve.exitStatus()
            let took = ContinuousClock.now - asked
            #expect(status == 0, "\(serve.errors)")
            // The limit is 2 s; the rest is the server's own stop.
            #expect(took >= .seconds(2) && took < .seconds(15), "stopped after \(took)")
            #expect(serve.errors.contains("not recorded"), "\(serve.errors)")
            #expect(serve.errors.contains(task.uuidString), "\(serve.errors)")
            holder.release()
            #expect(try await Self.state(of: task, in: test) == "running")
        }
    }

    /// Serves a fresh database with a 2 s immediate time limit and PostgreSQL sessions that give up
    /// on a lock after 200 ms, updates a remote (an immediate task) while the test holds back the
    /// recording of task ends, and runs `body` once the update was answered with its task running.
    private func withServerHoldingAnEnd(
        _ body: (ServeProcess, TestDatabase, UUID, EndHolder) async throws -> Void
    ) async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let arguments = ["serve", "--migrate", "--port", "0", "--database", test.impatientURL]
        try await ServeProcess.with(arguments, environment: ["TANDEM_IMMEDIATE_TASK_TIME_LIMIT": "2"]) { serve in
            let base = try await serve.listening()
            let admin = (name: "admin", password: "shutdown test")
            let created = try TandemProcess.run(
                ["user", "create", admin.name, "--admin", "--password-stdin", "--database", test.url],
                input: admin.password + "\n")
            try #require(created.status == 0, "\(created.errors)")
            try await test.database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE FUNCTION hold_task_ends() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN PERFORM pg_advisory_xact_lock_shared(\(Self.endLock)); RETURN NEW; END $$;
                    CREATE TRIGGER hold_task_ends BEFORE UPDATE ON core_task FOR EACH ROW
                    WHEN (NEW.state IN ('completed', 'failed', 'canceled')) EXECUTE FUNCTION hold_task_ends();
                    """)
            }
            let remote = try await httpSend(
                "POST", base.appendingPathComponent("remotes/file/file/"),
                json: #"{"name": "r", "url": "http://example.com/one/"}"#, as: admin)
            try #require(remote.status == 201, "\(remote.body)")
            let href = try #require(try Self.field("pulp_href", of: remote.body))
            let holder = try await EndHolder.take(on: test.database)
            defer { holder.release() }
            let update = try await httpSend(
                "PATCH", try #require(URL(string: href, relativeTo: base)),
                json: #"{"url": "http://example.com/two/"}"#,
                as: admin)
            try #require(update.status == 202, "\(update.body)")
            let taskHref = try #require(try Self.field("task", of: update.body))
            let task = try #require(UUID(uuidString: String(taskHref.split(separator: "/").last ?? "")))
            try #require(try await Self.state(of: task, in: test) == "running")
            try await body(serve, test, task, holder)
        }
    }

    /// A string field of a JSON object.
    private static func field(_ name: String, of json: String) throws -> String? {
        (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?[name] as? String
    }

    /// The task's state in the database.
    private static func state(of task: UUID, in test: TestDatabase) async throws -> String? {
        try await test.database.withConnection { connection in
            try connection.query("SELECT state FROM core_task WHERE pulp_id = $1", [.uuid(task)]).first?.decode(
                String.self, "state")
        }
    }
}

/// Holds the advisory lock of ``ServeShutdownTests/endLock`` on a connection of its own until
/// ``release()``, so the trigger holds back every write that records a task's end.
private final class EndHolder: Sendable {
    private let released = Atomic<Bool>(false)
    private let locked = Atomic<Bool>(false)

    /// Takes the lock on a connection of `database` and returns once it holds it.
    static func take(on database: Database) async throws -> EndHolder {
        let holder = EndHolder()
        let holding = Task { try await holder.hold(on: database) }
        let deadline = ContinuousClock.now + .seconds(30)
        while !holder.locked.load(ordering: .sequentiallyConsistent) {
            if ContinuousClock.now > deadline {
                holder.release()
                try await holding.value
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return holder
    }

    /// Lets the recordings through.
    func release() {
        released.store(true, ordering: .sequentiallyConsistent)
    }

    private func hold(on database: Database) async throws {
        try await database.withConnection { connection in
            try connection.execute("SELECT pg_advisory_lock(\(ServeShutdownTests.endLock))")
            self.locked.store(true, ordering: .sequentiallyConsistent)
            while !self.released.load(ordering: .sequentiallyConsistent) { Thread.sleep(forTimeInterval: 0.02) }
            try connection.execute("SELECT pg_advisory_unlock(\(ServeShutdownTests.endLock))")
        }
    }
}
