import ArgumentParser
import Foundation
import TandemDatabase

/// Writes the benchmark's migrations: `bench/NNNN_tableN.yaml`, each creating one small table.
enum MigrationGenerator {
    static func write(count: Int, into folder: String) throws {
        let component = URL(fileURLWithPath: folder).appendingPathComponent("bench")
        try FileManager.default.createDirectory(at: component, withIntermediateDirectories: true)
        for number in 1...count {
            let yaml = """
                release: "1.0.\(number)"
                phase: compatible
                operations:
                  - create_table:
                      name: bench_migrate_\(number)
                      columns:
                        - {name: id, type: bigint, null: false}
                        - {name: label, type: text}
                      primary_key: [id]

                """
            let name = String(format: "%04d_table%d.yaml", number, number)
            try Data(yaml.utf8).write(to: component.appendingPathComponent(name))
        }
    }
}

/// Where the benchmark migrates: a SQLite file in its folder, or a scratch schema on PostgreSQL.
struct ScratchDatabase {
    /// The URL handed to `tandem`.
    let url: String
    /// Its dialect.
    let dialect: Dialect
    private let cleanup: () -> Void

    init(flag: String?, folder: URL) throws {
        guard let flag else {
            url = "sqlite://" + folder.appendingPathComponent("bench.sqlite3").path
            dialect = .sqlite
            cleanup = {}
            return
        }
        let parsed = try DatabaseURL(flag)
        dialect = parsed.dialect
        guard parsed.dialect == .postgres else {
            if case .sqliteMemory = parsed.location {
                throw ValidationError("use a SQLite file: each tandem process would get its own in-memory database")
            }
            url = flag
            cleanup = {}
            return
        }
        let schema = "tandem_bench_\(ProcessInfo.processInfo.processIdentifier)"
        let admin = try Database(url: parsed, maximumConnections: 1)
        try admin.withConnection { try $0.execute("CREATE SCHEMA \(quoteIdentifier(schema))") }
        url = flag + (flag.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
        cleanup = {
            _ = try? admin.withConnection { try $0.execute("DROP SCHEMA \(quoteIdentifier(schema)) CASCADE") }
            admin.close()
        }
    }

    /// Removes the scratch schema.
    func drop() {
        cleanup()
    }
}
