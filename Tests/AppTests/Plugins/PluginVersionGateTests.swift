import Foundation
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemTesting
import Testing

/// A migrations folder for plugin `gamma`: a table, then a breaking drop that needs gamma 2.0.0.
private func gammaMigrations(in root: URL) throws -> URL {
    let folder = root.appendingPathComponent("gamma")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(
        """
        release: "1.0.0"
        phase: compatible
        operations:
          - create_table:
              name: gamma_item
              columns:
                - {name: id, type: integer, null: false}
                - {name: old_note, type: text}
              primary_key: [id]
        """.utf8
    ).write(to: folder.appendingPathComponent("0001_initial.yaml"))
    try Data(
        """
        release: "2.0.0"
        phase: breaking
        requires: {gamma: "2.0.0"}
        operations:
          - drop_column: {table: gamma_item, column: old_note}
        """.utf8
    ).write(to: folder.appendingPathComponent("0002_drop_old_note.yaml"))
    return root
}

@Suite("The versions a process reports are its plugins' releases, and the breaking gates check them")
struct PluginVersionGateTests {
    @Test(
        "a process running gamma 1.0.0 blocks gamma's breaking migration; once it runs 2.0.0 it applies",
        arguments: TestDatabaseKind.engines)
    func gate(_ kind: TestDatabaseKind) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-gate-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = try gammaMigrations(in: root)
        let old = try Application(plugins: [TestPlugin("gamma", version: "1.0.0", migrationsDirectory: directory)])
        let new = try Application(plugins: [TestPlugin("gamma", version: "2.0.0", migrationsDirectory: directory)])
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let database = test.database
        do {
            let migrator = Migrator(database: database, migrations: try new.loadMigrations().set)
            try migrator.migrate()
            let oldProcess = old.registration(kind: "api")
            try database.withConnection { connection in try ComponentRegistry.register(oldProcess, on: connection) }
            let refusal = #expect(throws: MigrationRefusal.self) {
                try migrator.migrate(MigrationRequest(breaking: true))
            }
            #expect(refusal?.message.contains("gamma 1.0.0") == true, "\(String(describing: refusal))")
            #expect(refusal?.message.contains("gamma/0002_drop_old_note") == true, "\(String(describing: refusal))")

            let newProcess = new.registration(kind: "api")
            try database.withConnection { connection in
                try ComponentRegistry.unregister(id: oldProcess.id, on: connection)
                try ComponentRegistry.register(newProcess, on: connection)
            }
            let report = try migrator.migrate(MigrationRequest(breaking: true))
            #expect(report.runs.count == 1)
            let versions = try database.withConnection { try ComponentRegistry.components(on: $0) }.map(\.versions)
            #expect(versions == [["gamma": "2.0.0"]])
        }
    }

    @Test("a plugin's migration that depends on a plugin the application does not load is refused, with file and line")
    func dependencyOnAMissingPlugin() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-deps-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("gamma")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(
            "release: \"1.0.0\"\nphase: compatible\ndepends_on: [core/0001_initial]\noperations:\n  - sql: {up: \"SELECT 1\", down: \"SELECT 1\", phase: compatible}\n"
                .utf8
        ).write(to: folder.appendingPathComponent("0001_initial.yaml"))
        let application = try Application(plugins: [TestPlugin("gamma", migrationsDirectory: root)])
        let error = #expect(throws: MigrationFileErrors.self) { _ = try application.loadMigrations() }
        let problem = try #require(error?.errors.first)
        #expect(problem.path.hasSuffix("gamma/0001_initial.yaml"))
        #expect(problem.line == 3)
        #expect(problem.message.contains("core/0001_initial"))
        let withCore = try Application(plugins: [CorePlugin(), TestPlugin("gamma", migrationsDirectory: root)])
        #expect(
            try withCore.loadMigrations().set.migrations.map(\.id.description) == [
                "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                "core/0005_repository_versions",
                "gamma/0001_initial",
            ])
    }
}
