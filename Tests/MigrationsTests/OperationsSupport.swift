import Foundation
import TandemDatabase
import TandemMigrations
import TandemSchema
import Testing

extension Connection {
    /// Runs statements the way a runner must: transactional ones together in a transaction,
    /// the others alone (running the cleanup when one fails), and SQLite rebuilds with foreign
    /// keys off and checked before committing.
    func apply(_ statements: [MigrationStatement]) throws {
        let foreignKeysOff = dialect == .sqlite && statements.contains { $0.needsForeignKeysOff }
        if foreignKeysOff { try executeScript("PRAGMA foreign_keys = OFF") }
        defer { if foreignKeysOff { try? executeScript("PRAGMA foreign_keys = ON") } }
        var pending: [String] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            try transaction {
                for statement in pending { try execute(statement) }
                if foreignKeysOff, let broken = try query("PRAGMA foreign_key_check").first {
                    throw SchemaError("a row of \(try broken.decode(String.self, at: 0)) breaks a foreign key")
                }
            }
            pending = []
        }
        for statement in statements {
            guard statement.transactional else {
                try flush()
                do {
                    try execute(statement.sql)
                } catch {
                    if let cleanup = statement.cleanupOnFailure { try execute(cleanup) }
                    throw error
                }
                continue
            }
            pending.append(statement.sql)
        }
        try flush()
    }

    /// Renders `operation` against the live schema and applies it.
    func apply(_ operation: TandemMigrations.Operation) throws {
        try apply(operation.statements(for: dialect, schema: introspectLiveSchema()))
    }

    /// The number of rows of `table`.
    func count(_ table: String) throws -> Int {
        try query("SELECT count(*) FROM \(quoteIdentifier(table))")[0].decode(Int.self, at: 0)
    }
}

/// Migration files written to a temporary folder for one test.
enum TemporaryMigrations {
    /// Writes `files` (path below the folder → contents), runs `body` with the folder, removes it.
    static func with<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tandem-migrations-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return try body(folder.path)
    }

    /// The operations of a compatible file whose `operations:` list is `yaml`.
    static func operations(_ yaml: String, phase: Phase = .compatible) throws -> [TandemMigrations.Operation] {
        let requires = phase == .breaking ? "requires: {core: \"1.0.0\"}\n" : ""
        let file = "release: \"1.0.0\"\nphase: \(phase.rawValue)\n\(requires)operations:\n" + yaml
        return try with(["core/0001_test.yaml": file]) { folder in
            try MigrationLoader.load(directory: folder).migrations[0].operations.map(\.operation)
        }
    }
}
