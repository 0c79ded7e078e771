import Foundation
import Logging
import TandemDatabase

/// The databases every test runs on: the same test body runs on each.
///
/// ```swift
/// @Test(arguments: TestDatabaseKind.allCases)
/// func roundTrip(_ kind: TestDatabaseKind) async throws {
///     try await withTestDatabase(kind) { database in ... }
/// }
/// ```
public enum TestDatabaseKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A private in-memory SQLite database.
    case sqliteMemory
    /// A SQLite file in a fresh temporary folder.
    case sqliteFile
    /// A fresh schema on the PostgreSQL server named by `TANDEM_TEST_POSTGRES_URL`.
    case postgres

    /// The kind's name in test output.
    public var description: String { rawValue }

    /// The two engines, for tests that need a file or a server (not in-memory SQLite).
    public static let engines: [TestDatabaseKind] = [.sqliteFile, .postgres]
}

/// The environment variable naming the PostgreSQL server tests use; `scripts/test` sets it.
public let testPostgresEnvironmentVariable = "TANDEM_TEST_POSTGRES_URL"

/// A database made for one test, removed by ``drop()``.
///
/// On PostgreSQL each test gets its own schema (through `search_path`), so tests run in parallel
/// on one server without seeing each other's tables.
public final class TestDatabase: Sendable {
    /// The kind of database.
    public let kind: TestDatabaseKind
    /// A URL that reaches this database, for other processes (the CLI under test).
    public let url: String
    /// The open database.
    public let database: Database
    private let cleanup: @Sendable () -> Void

    /// Creates a fresh, empty database of this kind.
    public init(_ kind: TestDatabaseKind, maximumConnections: Int? = nil, logger: Logger? = nil) throws {
        self.kind = kind
        switch kind {
        case .sqliteMemory:
            url = "sqlite::memory:"
            cleanup = {}
        case .sqliteFile:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "tandem-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            url = "sqlite://" + folder.appendingPathComponent("test.sqlite3").path
            cleanup = { try? FileManager.default.removeItem(at: folder) }
        case .postgres:
            guard let server = ProcessInfo.processInfo.environment[testPostgresEnvironmentVariable], !server.isEmpty
            else {
                throw TestSetupError(
                    message:
                        "\(testPostgresEnvironmentVariable) is not set: run scripts/test, which starts a throwaway PostgreSQL"
                )
            }
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try Database(server, maximumConnections: 1)
            try admin.withConnection { try $0.execute("CREATE SCHEMA \(quoteIdentifier(schema))") }
            admin.close()
            let separator = server.contains("?") ? "&" : "?"
            url = server + separator + "options=-csearch_path%3D\(schema)"
            cleanup = {
                guard let admin = try? Database(server, maximumConnections: 1) else { return }
                _ = try? admin.withConnection { try $0.execute("DROP SCHEMA \(quoteIdentifier(schema)) CASCADE") }
                admin.close()
            }
        }
        do {
            database = try Database(
                url: try DatabaseURL(url), maximumConnections: maximumConnections,
                logger: logger ?? Logger(label: "tandem.test"))
        } catch {
            // Without a database there is no drop(): remove the folder or schema now.
            cleanup()
            throw error
        }
    }

    /// ``url`` with PostgreSQL sessions that give up on a lock after 200 ms (`lock_timeout`, put
    /// before the test schema's `search_path` in `options`); a SQLite URL as it is (its busy
    /// timeout is the opener's: see ``openImpatient()``). For a CLI process under test.
    public var impatientURL: String {
        url.replacingOccurrences(of: "options=", with: "options=-clock_timeout%3D200%20")
    }

    /// A second handle on this database whose sessions give up on a lock after 200 ms
    /// (PostgreSQL `lock_timeout`, SQLite busy timeout), for tests of what a lock timeout does;
    /// the caller closes it.
    public func openImpatient() throws -> Database {
        try Database(url: DatabaseURL(impatientURL), busyTimeout: .milliseconds(200))
    }

    /// Closes the database and removes it.
    public func drop() {
        database.close()
        cleanup()
    }
}

/// Runs `body` with a fresh database of `kind`, removing it afterwards.
///
/// The bodies of the async `Database.withConnection(_:)` and `transaction(_:)` run on the
/// connection's own thread, outside the test's task: an `#expect` there that fails is reported
/// without the test's name. Return what you read and check it in the test:
///
/// ```swift
/// let rows = try await database.withConnection { try $0.query("SELECT n FROM item") }
/// #expect(rows.count == 2)
/// ```
public func withTestDatabase<T>(
    _ kind: TestDatabaseKind, maximumConnections: Int? = nil, logger: Logger? = nil,
    _ body: (Database) async throws -> T
) async throws -> T {
    let testDatabase = try TestDatabase(kind, maximumConnections: maximumConnections, logger: logger)
    defer { testDatabase.drop() }
    return try await body(testDatabase.database)
}

/// A test could not get the database it needs.
public struct TestSetupError: Error, CustomStringConvertible {
    /// What is missing.
    public let message: String
    /// The message.
    public var description: String { message }
}
