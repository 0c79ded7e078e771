import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TandemDatabase
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// HTTP Basic and bearer tokens against `core_user`, remembered credentials, rate limits.
@Suite("Authentication")
struct AuthenticationTests {
    /// bcrypt's cheapest cost: the tests check the behaviour, not the hash's strength.
    static let cost: UInt8 = 4

    static func createUserTables(_ connection: Connection) throws {
        let timestamp = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TIMESTAMP"
        try connection.executeScript(
            """
            CREATE TABLE core_user (pulp_id UUID PRIMARY KEY, pulp_created \(timestamp) NOT NULL, username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL, is_admin BOOLEAN NOT NULL);
            CREATE TABLE core_usertoken (token_hash TEXT PRIMARY KEY, user_id UUID NOT NULL REFERENCES core_user (pulp_id) ON DELETE CASCADE,
                pulp_created \(timestamp) NOT NULL);
            """)
    }

    static func withAuthenticatedAPI(
        _ kind: TestDatabaseKind, configuration: AuthenticationConfiguration = AuthenticationConfiguration(),
        _ body: @escaping @Sendable (any TestClientProtocol, UserStore) async throws -> Void
    ) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { connection in
                try createTestTables(connection)
                try createUserTables(connection)
            }
            let users = UserStore(database: database, cost: cost)
            try await users.create(name: "admin", password: "s3cret:with colon", isAdmin: true)
            try await users.create(name: "reader", password: "readpass", isAdmin: false)
            var api = try makeTestAPI(database)
            api.authentication = configuration
            try await Application(router: api.router()).test(.router) { client in try await body(client, users) }
        }
    }

    static func basic(_ name: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(name):\(password)".utf8).base64EncodedString()]
    }

    @Test(arguments: TestDatabaseKind.engines)
    func everythingButStatusAndDocumentNeedsAUser(_ kind: TestDatabaseKind) async throws {
        try await Self.withAuthenticatedAPI(kind) { client, _ in
            #expect(try await client.json(.get, "/pulp/api/v3/status/").status == .ok)
            #expect(try await client.json(.get, "/pulp/api/v3/docs/api.json").status == .ok)
            let anonymous = try await client.json(.get, fileRemotesPath)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.contentType] == "application/json")
            #expect(anonymous.headers[.wwwAuthenticate] == "Basic realm=\"api\"")
            let wrong = try await client.json(.get, fileRemotesPath, headers: Self.basic("admin", "nope"))
            #expect(wrong.status == .unauthorized)
            let unknown = try await client.json(.get, fileRemotesPath, headers: Self.basic("ghost", "nope"))
            #expect(unknown.status == .unauthorized)
            // A NUL in the name is an unknown user on both engines (PostgreSQL would refuse the lookup).
            let nul = try await client.json(.get, fileRemotesPath, headers: Self.basic("ad\u{0}min", "nope"))
            #expect(nul.status == .unauthorized)
            let garbage = try await client.json(.get, fileRemotesPath, headers: [.authorization: "Basic !!!"])
            #expect(garbage.status == .unauthorized)

            let admin = Self.basic("admin", "s3cret:with colon")
            #expect(try await client.json(.get, fileRemotesPath, headers: admin).status == .ok)
            let created = try await client.json(
                .post, fileRemotesPath, #"{"name": "a", "url": "https://e/"}"#, headers: admin)
            #expect(created.status == .created)

            let reader = Self.basic("reader", "readpass")
            #expect(try await client.json(.get, fileRemotesPath, headers: reader).status == .ok)
            let refused = try await client.json(
                .post, fileRemotesPath, #"{"name": "b", "url": "https://e/"}"#, headers: reader)
            #expect(refused.status == .forbidden)
            #expect(refused.json["detail"] != nil)
            let href = try #require(created.json["pulp_href"]?.string)
            #expect(try await client.json(.delete, href, headers: reader).status == .forbidden)
            #expect(try await client.json(.get, href, headers: reader).status == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func rememberedCredentialsAreDroppedOnPasswordChange(_ kind: TestDatabaseKind) async throws {
        try await Self.withAuthenticatedAPI(kind) { client, users in
            let old = Self.basic("reader", "readpass")
            #expect(try await client.json(.get, fileRemotesPath, headers: old).status == .ok)
            #expect(try await client.json(.get, fileRemotesPath, headers: old).status == .ok)
            try await users.setPassword(name: "reader", password: "newpass")
            #expect(try await client.json(.get, fileRemotesPath, headers: old).status == .unauthorized)
            #expect(
                try await client.json(.get, fileRemotesPath, headers: Self.basic("reader", "newpass")).status == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func failedLoginsAreRateLimitedPerUser(_ kind: TestDatabaseKind) async throws {
        let configuration = AuthenticationConfiguration(maximumFailures: 3, failureWindow: .seconds(600))
        try await Self.withAuthenticatedAPI(kind, configuration: configuration) { client, _ in
            for _ in 0..<3 {
                #expect(
                    try await client.json(.get, fileRemotesPath, headers: Self.basic("reader", "x")).status
                        == .unauthorized)
            }
            let limited = try await client.json(.get, fileRemotesPath, headers: Self.basic("reader", "readpass"))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Another user from the same address is not limited.
            #expect(
                try await client.json(.get, fileRemotesPath, headers: Self.basic("admin", "s3cret:with colon")).status
                    == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func bearerTokens(_ kind: TestDatabaseKind) async throws {
        try await Self.withAuthenticatedAPI(kind) { client, users in
            let token = try await users.issueToken(name: "admin")
            #expect(token.count >= 40)
            let response = try await client.json(
                .post, fileRemotesPath, #"{"name": "t", "url": "https://e/"}"#,
                headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .created)
            let forged = try await client.json(.get, fileRemotesPath, headers: [.authorization: "Bearer \(token)x"])
            #expect(forged.status == .unauthorized)
            await #expect(throws: UserError.noSuchUser("ghost")) { try await users.issueToken(name: "ghost") }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func userStoreRefusesBadInput(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { try Self.createUserTables($0) }
            let users = UserStore(database: database, cost: Self.cost)
            await #expect(throws: UserError.invalidName) {
                try await users.create(name: "a:b", password: "p", isAdmin: false)
            }
            await #expect(throws: UserError.invalidName) {
                try await users.create(name: "", password: "p", isAdmin: false)
            }
            await #expect(throws: UserError.emptyPassword) {
                try await users.create(name: "a", password: "", isAdmin: false)
            }
            await #expect(throws: UserError.passwordTooLong) {
                try await users.create(name: "a", password: String(repeating: "p", count: 73), isAdmin: false)
            }
            try await users.create(name: "a", password: "p", isAdmin: false)
            await #expect(throws: UserError.nameTaken("a")) {
                try await users.create(name: "a", password: "q", isAdmin: true)
            }
            await #expect(throws: UserError.noSuchUser("b")) { try await users.setPassword(name: "b", password: "q") }
            let stored = try await database.withConnection { try $0.query("SELECT password_hash FROM core_user") }
            let hash = try stored[0].decode(String.self, "password_hash")
            #expect(hash.hasPrefix("$2") && !hash.contains("p\u{0}"))
        }
    }
}
