import Foundation
import TandemDatabase
import TandemTesting
import Testing

/// `tandem serve` as a user runs it: the real binary, real HTTP on loopback.
@Suite("tandem serve")
struct ServeCommandTests {
    @Test(arguments: TestDatabaseKind.engines)
    func refusesWhilePendingThenServesAndStopsCleanly(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let common = ["--database", test.url]
        let serveArguments = ["serve", "--port", "0"] + common

        let refused = try await TandemChild.run(serveArguments)
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.errors.contains("core/0001_initial") && refused.errors.contains(usersMigration), "\(refused.errors)")

        let migrated = try await TandemChild.run(["migrate"] + common)
        #expect(migrated.status == 0, "\(migrated)")
        let created = try await TandemChild.run(
            ["user", "create", "admin", "--admin", "--password-stdin"] + common, stdin: "pass word\n")
        #expect(created.status == 0, "\(created)")
        let duplicate = try await TandemChild.run(["user", "create", "admin", "--password-stdin"] + common, stdin: "x\n")
        #expect(duplicate.status == 1)
        #expect(duplicate.errors.contains("already exists") && !duplicate.errors.contains("x\n"))
        let invalid = try await TandemChild.run(["user", "create", "a:b", "--password-stdin"] + common, stdin: "x\n")
        #expect(invalid.status == 2)
        let noTerminal = try await TandemChild.run(["user", "create", "b"] + common)
        #expect(noTerminal.status == 2)
        #expect(noTerminal.errors.contains("--password-stdin"))

        let server = try TandemChild(serveArguments)
        let base = try await server.listeningURL()
        let status = try await httpRequest("GET", base + "/pulp/api/v3/status/")
        #expect(status.status == 200)
        #expect(status.headers["content-type"] == "application/json")
        let statusJSON = try JSONSerialization.jsonObject(with: status.body) as? [String: Any]
        #expect((statusJSON?["online_api_apps"] as? [Any])?.count == 1)

        let admin = ("admin", "pass word")
        #expect(try await httpRequest("GET", base + "/pulp/api/v3/remotes/").status == 401)
        let remote = try await httpRequest(
            "POST", base + "/pulp/api/v3/remotes/file/file/", body: #"{"name": "r1", "url": "https://example.com/"}"#,
            user: admin)
        #expect(remote.status == 201, "\(String(decoding: remote.body, as: UTF8.self))")
        let repository = try await httpRequest(
            "POST", base + "/pulp/api/v3/repositories/file/file/", body: #"{"name": "repo1"}"#, user: admin)
        #expect(repository.status == 201, "\(String(decoding: repository.body, as: UTF8.self))")
        let list = try await httpRequest("GET", base + "/pulp/api/v3/remotes/", user: admin)
        let listJSON = try JSONSerialization.jsonObject(with: list.body) as? [String: Any]
        #expect(listJSON?["count"] as? Int == 1)

        let rows = try await test.database.withConnection { try $0.query("SELECT kind FROM tandem_components") }
        #expect(rows.count == 1)
        server.process.interrupt()
        #expect(try await server.wait() == 0, "\(server.errors)")
        #expect(server.output.contains("stopped"))
        let after = try await test.database.withConnection { try $0.query("SELECT kind FROM tandem_components") }
        #expect(after.isEmpty)

        // SIGTERM stops it the same way.
        let again = try TandemChild(serveArguments)
        _ = try await again.listeningURL()
        again.process.terminate()
        #expect(try await again.wait() == 0, "\(again.errors)")
        let last = try await test.database.withConnection { try $0.query("SELECT kind FROM tandem_components") }
        #expect(last.isEmpty)
    }
}
