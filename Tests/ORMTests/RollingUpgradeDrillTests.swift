import Foundation
import Synchronization
import TandemDatabase
import TandemMigrations
import TandemORM
import TandemTesting
import Testing

/// Issue 7's ORM-level rolling-upgrade drill: "old code" (the reference models, which know none
/// of the new columns) reads, updates in transactions, creates, casts and deletes through warm
/// pooled connections while the migration engine applies a compatible release.
@Suite("Rolling-upgrade drill: old ORM code through a compatible migration")
struct RollingUpgradeDrillTests {
    static let files = [
        "core/0001_initial.yaml": """
        release: "1.0.0"
        phase: compatible
        operations:
          - create_table:
              name: core_remote
              master: true
              columns:
                - {name: pulp_id, type: uuid, null: false}
                - {name: name, type: text, null: false}
                - {name: url, type: text, null: false}
                - {name: policy, type: text, null: false}
                - {name: download_concurrency, type: bigint}
                - {name: headers, type: json}
                - {name: created, type: timestamp, null: false}
              primary_key: [pulp_id]
              unique:
                - {columns: [name]}
          - create_table:
              name: file_fileremote
              detail_of: core_remote
              columns:
                - {name: pulp_id, type: uuid, null: false}
                - {name: manifest, type: text}
              primary_key: [pulp_id]
          - create_table:
              name: mirror_mirrorfileremote
              detail_of: file_fileremote
              columns:
                - {name: pulp_id, type: uuid, null: false}
                - {name: priority, type: bigint, null: false}
              primary_key: [pulp_id]
        """,
        "core/0002_new_release.yaml": """
        release: "2.0.0"
        phase: compatible
        operations:
          - add_column: {table: core_remote, column: {name: rate_limit, type: bigint}}
          - add_column: {table: core_remote, column: {name: manifest, type: text}}
          - add_column: {table: core_remote, column: {name: sock_timeout, type: double, null: false, default: 5.0}}
          - add_column: {table: file_fileremote, column: {name: checksum_type, type: text, null: false, default: sha256}}
          - create_index: {table: core_remote, columns: [url]}
          - create_table:
              name: rpm_rpmremote
              detail_of: core_remote
              columns:
                - {name: pulp_id, type: uuid, null: false}
                - {name: sles_auth_token, type: text}
              primary_key: [pulp_id]
          - rename_column: {table: mirror_mirrorfileremote, from: priority, to: rank}
        """,
    ]

    @Test(arguments: TestDatabaseKind.engines)
    func oldCodeSeesNoErrorAndReadsWhatItWrote(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind, maximumConnections: 4)
        defer { testDatabase.drop() }
        let folder = try DrillMigrations(Self.files)
        defer { folder.remove() }
        let migrationDatabase = try Database(url: try DatabaseURL(testDatabase.url), maximumConnections: 2)
        defer { migrationDatabase.close() }
        let migrator = Migrator(
            database: migrationDatabase, migrations: try MigrationLoader.load(directory: folder.path),
            settings: MigrationSettings(
                lockTimeout: .seconds(20), ddlLockTimeout: .milliseconds(500), ddlRetryFor: .seconds(60)))
        let release1 = MigrationRequest(target: MigrationTarget(component: "core", number: 1))
        try await onThread { _ = try migrator.migrate(release1) }

        let database = testDatabase.database
        let registry = try referenceRegistry()
        let stop = DrillStop()
        let workers = (0..<3).map { index in
            Task {
                await onThread {
                    OldCodeWorker(name: "w\(index)", database: database, registry: registry).run(until: stop)
                }
            }
        }
        // Every worker has warmed its statements on the pool's connections before the release.
        try await stop.waitForOperations(atLeast: 300)
        try await onThread { _ = try migrator.migrate() }
        let afterMigration = stop.operations
        try await stop.waitForOperations(atLeast: afterMigration + 300)
        stop.raise()
        var reports: [OldCodeWorker.Report] = []
        for worker in workers { reports.append(await worker.value) }

        for report in reports {
            #expect(report.problems.isEmpty, "\(report.name): \(report.problems.prefix(5))")
            #expect(
                report.creates > 3 && report.updates > 3 && report.casts > 3 && report.deletes > 0,
                "\(report.name): \(report)")
        }
        try await database.withConnection { connection in
            let remote = try #require(try connection.introspectTable("core_remote"))
            #expect(remote.column(named: "rate_limit") != nil)
            #expect(try connection.introspectTable("rpm_rpmremote") != nil)
            #expect(try connection.introspectTable("mirror_mirrorfileremote")?.column(named: "rank") != nil)
        }
        // A final read, outside the workers, agrees with every ledger.
        for report in reports {
            for (key, expected) in report.ledger {
                let stored = try #require(try await Remote.find(key, on: database))
                let cast = try await stored.cast(on: database, registry: registry)
                #expect(DrillValue(cast) == expected, "\(report.name): \(key)")
            }
        }
    }
}

/// The last value a worker wrote to one object, compared with what it reads back.
enum DrillValue: Equatable, Sendable, CustomStringConvertible {
    case file(FileRemote)
    case mirror(MirrorFileRemote)
    case other(String)

    init(_ value: any InheritanceMember) {
        if let mirror = value as? MirrorFileRemote {
            self = .mirror(mirror)
        } else if let file = value as? FileRemote {
            self = .file(file)
        } else {
            self = .other("\(type(of: value))")
        }
    }

    var description: String {
        switch self {
        case .file(let file): "file \(file.name) policy \(file.policy) manifest \(file.manifest ?? "nil")"
        case .mirror(let mirror):
            "mirror \(mirror.name) manifest \(mirror.manifest ?? "nil") priority \(mirror.priority)"
        case .other(let type): type
        }
    }
}

/// A process of the earlier release: its models know only release 1's columns. It runs on a
/// thread of its own through the synchronous API, as the CLI and threads of the earlier release
/// do (the async API's tests are in AsyncORMTests).
struct OldCodeWorker: Sendable {
    struct Report: Sendable, CustomStringConvertible {
        let name: String
        var problems: [String] = []
        var ledger: [UUID: DrillValue] = [:]
        var creates = 0, updates = 0, reads = 0, casts = 0, deletes = 0
        var description: String {
            "creates \(creates), updates \(updates), reads \(reads), casts \(casts), deletes \(deletes)"
        }
    }

    let name: String
    let database: Database
    let registry: ModelRegistry

    func run(until stop: DrillStop) -> Report {
        var report = Report(name: name)
        var step = 0
        while !stop.isRaised {
            step += 1
            do {
                try operate(step, &report)
            } catch {
                report.problems.append("step \(step): \(error)")
            }
            stop.count()
            // A breath between operations, as real traffic has, lets the migration's DDL take its locks.
            Thread.sleep(forTimeInterval: 0.002)
        }
        return report
    }

    private func operate(_ step: Int, _ report: inout Report) throws {
        let keys = report.ledger.keys.sorted { $0.uuidString < $1.uuidString }
        switch keys.count < 4 ? 0 : step % 6 {
        case 0:
            if step % 2 == 0 {
                var mirror = MirrorFileRemote(
                    parent: makeFileRemote("\(name)-\(step)", manifest: "m\(step)"), priority: step)
                try mirror.create(on: database)
                report.ledger[mirror.pulpID] = .mirror(mirror)
            } else {
                var file = makeFileRemote("\(name)-\(step)")
                file.headers = ["step": "\(step)"]
                try file.create(on: database)
                report.ledger[file.pulpID] = .file(file)
            }
            report.creates += 1
        case 1, 2:
            // Read-modify-write inside a transaction, on one pooled connection.
            let key = keys[step % keys.count]
            let expected = report.ledger[key]
            let (read, written) = try database.transaction { connection -> (DrillValue?, DrillValue) in
                let master = try Remote.find(key, on: connection)
                switch try master?.cast(on: connection, registry: registry) {
                case var mirror as MirrorFileRemote:
                    let before = DrillValue.mirror(mirror)
                    mirror.priority += 1
                    mirror.manifest = "m\(step)"
                    mirror.downloadConcurrency = step
                    try mirror.update(on: connection)
                    return (before, .mirror(mirror))
                case var file as FileRemote:
                    let before = DrillValue.file(file)
                    file.policy = step % 4 == 1 ? "streamed" : "on_demand"
                    file.manifest = "f\(step)"
                    try file.update(on: connection)
                    return (before, .file(file))
                case let other?:
                    return (DrillValue(other), DrillValue(other))
                case nil:
                    return (nil, .other("missing"))
                }
            }
            if read != expected {
                report.problems.append(
                    "update read \(read.map(\.description) ?? "nothing"), expected \(expected.map(\.description) ?? "nothing")"
                )
            }
            report.ledger[key] = written
            report.updates += 1
        case 3:
            let key = keys[step % keys.count]
            let found = try FileRemote.find(key, on: database)
            let expected = report.ledger[key]
            let asFile: FileRemote? =
                switch expected {
                case .file(let file): file
                case .mirror(let mirror): mirror.parent
                default: nil
                }
            if found != asFile {
                report.problems.append(
                    "find read \(found?.name ?? "nothing"), expected \(expected?.description ?? "nothing")")
            }
            // The master gains a `manifest` column of its own in release 2: the detail's filters
            // and orderings on its `manifest` must still name the detail's column.
            if let asFile, let manifest = asFile.manifest {
                let sameManifest = FileRemote.query(on: database).filter(Column("pulp_id") == key)
                    .filter(Column("manifest") == manifest)
                let listed = try sameManifest.order(Column("manifest")).all()
                let counted = try sameManifest.count()
                if listed != [asFile] || counted != 1 {
                    report.problems.append("filter on manifest read \(listed.count) values, expected 1")
                }
            }
            if case .mirror(let mirror) = expected, try MirrorFileRemote.find(key, on: database) != mirror {
                report.problems.append("mirror find differs from \(mirror)")
            }
            report.reads += 1
        case 4:
            let masters = try Remote.query(on: database).filter(Column("name").like("\(name)-%")).order(Column("name"))
                .all()
            let cast = try Remote.cast(masters, on: database, registry: registry)
            if Set(masters.map(\.pulpID)) != Set(report.ledger.keys) {
                report.problems.append("listed \(masters.count) of \(report.ledger.count)")
            }
            for (master, value) in zip(masters, cast) where DrillValue(value) != report.ledger[master.pulpID] {
                report.problems.append(
                    "cast read \(DrillValue(value)), expected \(report.ledger[master.pulpID]?.description ?? "nothing")"
                )
            }
            let mirrors = masters.filter { $0.pulpType == MirrorFileRemote.pulpType }
            let typed = try Remote.cast(mirrors, as: MirrorFileRemote.self, on: database)
            for mirror in typed where report.ledger[mirror.pulpID] != .mirror(mirror) {
                report.problems.append("typed cast differs")
            }
            if try Remote.query(on: database).filter(Column("name").like("\(name)-%")).count() != report.ledger.count {
                report.problems.append("count differs")
            }
            report.casts += 1
        default:
            guard keys.count > 3 else { return }
            let key = keys[0]
            switch report.ledger[key] {
            case .mirror(let mirror): try mirror.delete(on: database)
            case .file(let file): try file.delete(on: database)
            default: _ = try Remote.query(on: database).filter(Column("pulp_id") == key).delete()
            }
            // A query-level update on the detail's `manifest` (a join, so through a subquery).
            let touched = try FileRemote.query(on: database).filter(Column("pulp_id") == key)
                .filter(Column("manifest") == "no such manifest").update(Column("manifest").set(to: "x"))
            if touched != 0 { report.problems.append("update touched \(touched) rows") }
            report.ledger[key] = nil
            if try Remote.find(key, on: database) != nil { report.problems.append("deleted value still found") }
            report.deletes += 1
        }
    }
}

/// Tells the workers to stop, and counts their operations.
final class DrillStop: Sendable {
    private let state = Mutex((raised: false, operations: 0))
    var isRaised: Bool { state.withLock { $0.raised } }
    var operations: Int { state.withLock { $0.operations } }
    func raise() { state.withLock { $0.raised = true } }
    func count() { state.withLock { $0.operations += 1 } }

    /// Waits until the workers have done this many operations in all.
    func waitForOperations(atLeast target: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while operations < target {
            guard ContinuousClock.now < deadline else {
                raise()
                throw DrillTimeout(operations: operations, target: target)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// The workers did not get through their operations in time.
struct DrillTimeout: Error, CustomStringConvertible {
    let operations: Int
    let target: Int
    var description: String { "the workers did \(operations) of \(target) operations in 120 s" }
}

/// A migrations folder for one test.
struct DrillMigrations {
    let path: String

    init(_ files: [String: String]) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("tandem-orm-drill-\(UUID().uuidString)").path
        for (file, text) in files {
            let url = URL(fileURLWithPath: path).appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs blocking work (the migrator) on a thread of its own, off Swift's small cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Runs blocking work that cannot fail on a thread of its own.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
