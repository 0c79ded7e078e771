import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// The runtime fixtures: every compatible operation over two components, and one breaking file.
enum RuntimeFixtures {
    /// `SupportFixtures/migrations`, next to this file.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("SupportFixtures/migrations").path

    /// The compatible fixtures, in apply order.
    static let compatible = [
        "shop/0001_tables", "shop/0002_columns", "audit/0001_log", "shop/0003_indexes", "shop/0004_constraints",
        "shop/0005_raw",
    ]
    /// The breaking fixture; it requires shop 1.1.0.
    static let breaking = "shop/0006_drop_title"

    /// The loaded fixture set.
    static func set() throws -> MigrationSet {
        try Lint.load(directory: folder).set
    }
}

/// A migrations folder written for one test, removed by ``remove()``.
final class ScratchMigrations: Sendable {
    /// The folder's path.
    let path: String

    /// Writes `files` (path below the folder → YAML) to a fresh folder.
    init(_ files: [String: String] = [:]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-runtime-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (file, text) in files { try write(file, text) }
    }

    /// A copy of the runtime fixtures.
    static func fixtures() throws -> ScratchMigrations {
        let scratch = try ScratchMigrations()
        try FileManager.default.removeItem(atPath: scratch.path)
        try FileManager.default.copyItem(atPath: RuntimeFixtures.folder, toPath: scratch.path)
        return scratch
    }

    /// Writes (or overwrites) one file.
    func write(_ file: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Loads and lints the folder.
    func set() throws -> MigrationSet {
        try Lint.load(directory: path).set
    }

    /// Removes the folder.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A compatible migration file holding `operations` (YAML list items).
func compatibleFile(_ operations: String, release: String = "1.0.0") -> String {
    "release: \"\(release)\"\nphase: compatible\noperations:\n" + operations
}

/// Settings that make tests quick: short lock waits and retries. The migration lock's wait stays
/// long: tests share one PostgreSQL database, so a runner's `CREATE INDEX CONCURRENTLY` waits
/// for the long transactions of tests running beside it (it blocks no writer meanwhile), and the
/// other runner of a lock test waits for that.
let quickSettings = MigrationSettings(
    lockTimeout: .seconds(60), ddlLockTimeout: .milliseconds(200), ddlRetryFor: .milliseconds(750),
    retryDelay: .milliseconds(50))

/// What a run may change: the schema and the ledger, for "nothing changed" checks.
struct DatabaseSnapshot: Equatable {
    let schema: Schema
    let ledger: [String]

    init(_ database: Database) throws {
        (schema, ledger) = try database.withConnection { connection in
            (
                try connection.introspectSchema(),
                try MigrationLedger.applied(on: connection).map { "\($0.identifier) \($0.checksum)" }
            )
        }
    }

    /// The tables other than Tandem's own.
    var applicationTables: [String] {
        schema.tables.map(\.name).filter { !$0.hasPrefix("tandem_") }.sorted()
    }
}

/// The ledger's identifiers, in apply order.
func ledgerIDs(_ database: Database) throws -> [String] {
    try database.withConnection { try MigrationLedger.applied(on: $0).map(\.identifier) }
}

/// Runs `body` on a thread of its own (the runner blocks while it waits for locks) and returns
/// its result without blocking the caller's thread.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// Registers a process in `tandem_components` directly, its last heartbeat `age` seconds ago.
func register(
    _ kind: String, versions: [String: String], age: Int = 0, on database: Database, pid: Int = 4242
) throws {
    try database.withConnection { connection in
        try ComponentRegistry.createTable(on: connection)
        let registration = ComponentRegistration(
            kind: kind, versions: [:], host: "web-\(kind)", pid: pid)
        try ComponentRegistry.register(registration, on: connection)
        let json =
            "{" + versions.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ")
            + "}"
        let past =
            connection.dialect == .postgres
            ? "CURRENT_TIMESTAMP - make_interval(secs => \(age))"
            : "strftime('%Y-%m-%d %H:%M:%fZ', 'now', '-\(age) seconds')"
        try connection.execute(
            "UPDATE tandem_components SET versions = \(connection.dialect.placeholder(1)), last_heartbeat = \(past) WHERE id = \(connection.dialect.placeholder(2))",
            [.json(json), .text(registration.id)])
    }
}
