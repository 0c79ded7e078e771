import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("tandem status")
struct StatusCommandTests {
    @Test(arguments: TestDatabaseKind.engines)
    func jsonHasTheDocumentedKeys(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let common = ["--migrations", MigrateFolders.fixtures, "--database", test.url]
        #expect(try TandemProcess.run(["migrate"] + common).status == 0)
        try test.database.withConnection { connection in
            try ComponentRegistry.createTable(on: connection)
            try ComponentRegistry.register(
                ComponentRegistration(kind: "api", versions: ["shop": "1.0.0"], host: "web-1", pid: 7), on: connection)
            try ComponentRegistry.register(
                ComponentRegistration(kind: "worker", versions: ["shop": "1.2.0"], host: "web-2", pid: 8),
                on: connection)
        }
        let run = try TandemProcess.run(["status", "--json"] + common)
        #expect(run.status == 0, "\(run)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "dialect", "applied", "pending", "components", "blocked_gates", "heartbeat_timeout_s", "backfills",
                "column_syncs", "partly_applied", "leftovers", "plugins",
            ])
        #expect(object["dialect"] as? String == (kind == .postgres ? "postgres" : "sqlite"))
        #expect(object["blocked_gates"] as? [String] == ["shop/0006_drop_title"])
        let applied = try #require(object["applied"] as? [[String: Any]])
        #expect(applied.count == 6)
        #expect(
            Set(applied[0].keys)
                == ["migration", "phase", "release", "checksum", "applied_at", "duration_ms", "host", "pid", "file"])
        #expect(applied.allSatisfy { $0["file"] as? String == "ok" })
        let pending = try #require(object["pending"] as? [[String: Any]])
        #expect(pending.map { $0["migration"] as? String } == ["shop/0006_drop_title"])
        #expect(pending[0]["requires"] as? [String: String] == ["shop": "1.1.0"])
        let blocker = try #require((pending[0]["blocked_by"] as? [[String: Any]])?.first)
        #expect(blocker["pid"] as? Int == 7)
        #expect(
            (blocker["failures"] as? [[String: String]])?.first == [
                "component": "shop", "required": "1.1.0", "running": "1.0.0",
            ])
        let components = try #require(object["components"] as? [[String: Any]])
        #expect(
            Set(components[0].keys)
                == ["id", "kind", "host", "pid", "versions", "started_at", "last_heartbeat", "heartbeat_age_s", "live"])
        #expect(components.map { $0["live"] as? Bool } == [true, true])
        #expect((object["partly_applied"] as? [Any])?.isEmpty == true)

        let text = try TandemProcess.run(["status", "--heartbeat-timeout", "60"] + common)
        #expect(text.output.contains("pending: 1\n  shop/0006_drop_title"))
        #expect(text.output.contains("components: 2 live, 0 stale"))
        #expect(
            text.output.contains("blocked gates: 1\n  shop/0006_drop_title is blocked by:\n    - api on web-1 (pid 7)"))
    }
}
