import Foundation
import Synchronization
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

/// The rolling-upgrade drill of issue 4: "old code" writes the old column, "new code" the new
/// one, all at once, while the expand step, its backfill and then the contract step run.
@Suite("Rolling-upgrade drill: rename a column while old and new code write")
struct ColumnChangeDrillTests {
    static let files = [
        "app/0001_items.yaml": """
            release: "1.0.0"
            phase: compatible
            operations:
              - create_table:
                  name: drill_item
                  columns:
                    - {name: id, type: bigint, null: false, identity: true}
                    - {name: label, type: text, null: false}
                  primary_key: [id]
              - create_index: {table: drill_item, columns: [label]}
            """,
        "app/0002_rename_label.yaml": """
            release: "2.0.0"
            phase: compatible
            operations:
              - rename_column: {table: drill_item, from: label, to: title}
            """,
        "app/0003_complete_rename.yaml": """
            release: "3.0.0"
            phase: breaking
            requires: {app: "2.0.0"}
            operations:
              - complete_rename: {table: drill_item, from: label, to: title}
            """,
    ]

    @Test(arguments: TestDatabaseKind.engines)
    func noStatementFailsNoWriteIsLostAndTheColumnsStayEqual(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind, maximumConnections: 6)
        defer { testDatabase.drop() }
        let scratch = try ScratchMigrations(Dictionary(uniqueKeysWithValues: Self.files.map { ($0.key, $0.value) }))
        defer { scratch.remove() }
        let set = try scratch.set()
        let migratorDatabase = try Database(url: try DatabaseURL(testDatabase.url), maximumConnections: 2)
        defer { migratorDatabase.close() }
        let migrator = Migrator(database: migratorDatabase, migrations: set, settings: quickSettings)
        let database = testDatabase.database

        // Release 1: the table, with rows.
        try await runOnThread { _ = try migrator.migrate(MigrationRequest(target: MigrationTarget(component: "app", number: 1))) }
        try await database.withConnection { connection in
            for index in 0..<300 { try connection.execute("INSERT INTO drill_item (label) VALUES ($1)", "seed \(index)") }
        }

        let stopOld = StopFlag(), stopNew = StopFlag()
        let old = (0..<2).map { Worker(name: "old\($0)", column: "label", database: database, stop: stopOld) }
        let new = (0..<2).map { Worker(name: "new\($0)", column: "title", database: database, stop: stopNew) }
        let oldTasks = old.map { worker in Task { await worker.run() } }

        // The expand step and its backfill run while old code writes.
        try await runOnThread { _ = try migrator.migrate() }
        let newTasks = new.map { worker in Task { await worker.run() } }

        var checkpoints = 0
        for _ in 0..<6 {
            try await Task.sleep(for: .milliseconds(100))
            let unequal = try await database.withConnection { connection in
                try connection.query(
                    "SELECT count(*) FROM drill_item WHERE label IS NULL OR title IS NULL OR label <> title"
                )[0].decode(Int.self, at: 0)
            }
            #expect(unequal == 0, "checkpoint \(checkpoints): \(unequal) row(s) with label ≠ title")
            checkpoints += 1
        }
        #expect(try await database.withConnection { try Self.syncs(on: $0) } == 1)

        // A real rollout stops old code before the contract step.
        stopOld.raise()
        for task in oldTasks { await task.value }
        try await runOnThread { _ = try migrator.migrate(MigrationRequest(breaking: true)) }
        try await Task.sleep(for: .milliseconds(150))
        stopNew.raise()
        for task in newTasks { await task.value }

        let workers = old + new
        for worker in workers {
            #expect(worker.failures.isEmpty, "\(worker.name): \(Array(worker.failures.prefix(3)))")
            #expect(worker.writes > 10, "\(worker.name) wrote only \(worker.writes) times")
        }
        try await database.withConnection { connection in
            let rows = try connection.query("SELECT id, title FROM drill_item")
            let stored = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(Int64.self, "id"), try $0.decode(String.self, "title")) })
            var lost = 0
            for worker in workers {
                for (id, value) in worker.lastValues where stored[id] != value { lost += 1 }
            }
            #expect(lost == 0, "\(lost) written value(s) not found afterwards")
            #expect(rows.count >= 300)
            let schema = try connection.introspectTable("drill_item")
            #expect(schema?.column(named: "label") == nil)
            #expect(schema?.column(named: "title")?.isNullable == false)
            #expect(schema?.indexes.contains { $0.columns == ["title"] } == true)
            #expect(try Self.syncs(on: connection) == 0)
        }
    }

    static func syncs(on connection: Connection) throws -> Int {
        try connection.installedColumnSyncs().count
    }
}

/// A process of one release: inserts rows and updates its own rows through one column,
/// remembering the last value it wrote to each row and every statement that failed.
private final class Worker: Sendable {
    let name: String
    let column: String
    let database: Database
    let stop: StopFlag
    private let state = Mutex<(lastValues: [Int64: String], failures: [String], writes: Int)>(([:], [], 0))

    init(name: String, column: String, database: Database, stop: StopFlag) {
        self.name = name
        self.column = column
        self.database = database
        self.stop = stop
    }

    var lastValues: [Int64: String] { state.withLock { $0.lastValues } }
    var failures: [String] { state.withLock { $0.failures } }
    var writes: Int { state.withLock { $0.writes } }

    func run() async {
        var counter = 0
        var own: [Int64] = []
        while !stop.isRaised {
            counter += 1
            let value = "\(name) \(counter)"
            do {
                if own.count < 5 || counter % 2 == 0 {
                    let id = try await database.withConnection { connection in
                        try connection.query(
                            "INSERT INTO drill_item (\(quoteIdentifier(column))) VALUES ($1) RETURNING id", [.text(value)]
                        )[0].decode(Int64.self, at: 0)
                    }
                    own.append(id)
                    record(id, value)
                } else {
                    let id = own[counter % own.count]
                    try await database.withConnection { connection in
                        try connection.execute(
                            "UPDATE drill_item SET \(quoteIdentifier(column)) = $1 WHERE id = $2", [.text(value), .integer(id)])
                    }
                    record(id, value)
                }
            } catch {
                state.withLock { $0.failures.append("\(error)") }
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    private func record(_ id: Int64, _ value: String) {
        state.withLock {
            $0.lastValues[id] = value
            $0.writes += 1
        }
    }
}

/// Tells workers to stop.
private final class StopFlag: Sendable {
    private let raised = Mutex(false)
    var isRaised: Bool { raised.withLock { $0 } }
    func raise() { raised.withLock { $0 = true } }
}

/// Runs blocking work (the migrator) on a thread of its own, off Swift's small cooperative pool.
func runOnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
