import Foundation

/// One operation kind of the kill-anywhere test: the migrations that set the table up, the
/// migration under test, and a query over its data whose result must match too.
struct KillAnywhereScenario: Sendable, CustomStringConvertible {
    /// The operation kind, as the file format names it.
    let name: String
    /// Operations (YAML list items) added to the common setup migration `app/0001_setup`.
    var setup = ""
    /// A second setup migration, `app/0002_expand` (the expand step a contract step completes).
    var expand: String? = nil
    /// The operations of the migration under test.
    let step: String
    /// Whether the migration under test is breaking (run with `--breaking`).
    var breaking = false
    /// A query over the data whose single integer the killed runs must end with too.
    var data = "SELECT count(*) FROM big"

    var description: String { name }

    /// Every operation kind of the file format, the expand steps last.
    static let all: [KillAnywhereScenario] = [
        KillAnywhereScenario(
            name: "create_table",
            step: """
                  - create_table:
                      name: fresh
                      columns: [{name: id, type: bigint, null: false}, {name: big_id, type: bigint}]
                      primary_key: [id]
                      indexes: [{columns: [big_id]}]
                """),
        KillAnywhereScenario(
            name: "add_column", step: "  - add_column: {table: big, column: {name: d, type: integer, default: 5}}"),
        KillAnywhereScenario(name: "create_index", step: "  - create_index: {table: big, columns: [a, b]}"),
        KillAnywhereScenario(
            name: "add_foreign_key",
            step: "  - add_foreign_key: {table: big, columns: [b], references: {table: small, columns: [id]}}"),
        KillAnywhereScenario(name: "add_check", step: "  - add_check: {table: big, expression: \"a >= 0\"}"),
        KillAnywhereScenario(
            name: "set_not_null", step: "  - set_not_null: {table: big, column: a}", breaking: true),
        KillAnywhereScenario(
            name: "complete_rename", expand: "  - rename_column: {table: big, from: c, to: label}",
            step: "  - complete_rename: {table: big, from: c, to: label}", breaking: true,
            data: "SELECT sum(length(label)) FROM big"),
        KillAnywhereScenario(
            name: "complete_change_type",
            expand: "  - change_type: {table: big, column: a, to: a_wide, type: bigint, up: \"a\", down: \"a_wide\"}",
            step: "  - complete_change_type: {table: big, column: a, to: a_wide}", breaking: true,
            data: "SELECT sum(a_wide) FROM big"),
        KillAnywhereScenario(
            name: "drop_index", setup: "  - create_index: {table: big, columns: [a], name: big_a_idx}\n",
            step: "  - drop_index: {table: big, name: big_a_idx}"),
        KillAnywhereScenario(
            name: "drop_constraint",
            setup: "  - add_check: {table: big, name: big_b_check, expression: \"b >= 0\"}\n",
            step: "  - drop_constraint: {table: big, name: big_b_check}"),
        KillAnywhereScenario(
            name: "drop_column", step: "  - drop_column: {table: big, column: c}", breaking: true),
        KillAnywhereScenario(
            name: "drop_table", step: "  - drop_table: {name: big}", breaking: true,
            data: "SELECT count(*) FROM small"),
        KillAnywhereScenario(
            name: "backfill", step: "  - backfill: {table: big, set: {b: \"b + 1\"}, where: \"a <> 3\"}",
            data: "SELECT sum(b) FROM big"),
        KillAnywhereScenario(
            name: "sql",
            step: """
                  - sql:
                      phase: compatible
                      up: "UPDATE big SET b = b + 2 WHERE a = 1; CREATE INDEX big_c_idx ON big (c)"
                      down: "DROP INDEX big_c_idx; UPDATE big SET b = b - 2 WHERE a = 1"
                """,
            data: "SELECT sum(b) FROM big"),
        KillAnywhereScenario(
            name: "rename_column", step: "  - rename_column: {table: big, from: c, to: label}",
            data: "SELECT sum(length(label)) FROM big"),
        KillAnywhereScenario(
            name: "change_type",
            step: "  - change_type: {table: big, column: a, to: a_wide, type: bigint, up: \"a\", down: \"a_wide\"}",
            data: "SELECT sum(a_wide) FROM big"),
    ]

    /// The scenarios a run covers: those of `only` (operation kinds) when given, else ``all``.
    static func selected(_ only: [String]?) -> [KillAnywhereScenario] {
        guard let only else { return all }
        return all.filter { only.contains($0.name) }
    }

    /// Writes the scenario's migrations into `folder`: `app/0001_setup` (tables `big`, with
    /// `rows` rows, and `small`), the expand step if any, and the migration under test.
    func write(to folder: URL, rows: Int) throws {
        let app = folder.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
        let setupFile = """
            release: "1.0.0"
            phase: compatible
            operations:
              - create_table:
                  name: big
                  columns:
                    - {name: id, type: bigint, null: false}
                    - {name: a, type: integer}
                    - {name: b, type: integer}
                    - {name: c, type: text}
                  primary_key: [id]
              - create_table: {name: small, columns: [{name: id, type: bigint, null: false}], primary_key: [id]}
              - sql:
                  phase: compatible
                  up: >-
                    INSERT INTO big (id, a, b, c) SELECT i, i % 7, i % 11, 'row ' || i FROM (WITH RECURSIVE s(i) AS
                    (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < \(rows)) SELECT i FROM s) AS s;
                    INSERT INTO small (id) SELECT i FROM (WITH RECURSIVE s(i) AS
                    (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < 10) SELECT i FROM s) AS s
                  down: DELETE FROM big; DELETE FROM small

            """ + setup
        try Data(setupFile.utf8).write(to: app.appendingPathComponent("0001_setup.yaml"))
        if let expand {
            try Data(("release: \"1.1.0\"\nphase: compatible\noperations:\n" + expand + "\n").utf8).write(
                to: app.appendingPathComponent("0002_expand.yaml"))
        }
        let header =
            breaking
            ? "release: \"2.0.0\"\nphase: breaking\nrequires: {app: \"2.0.0\"}\n"
            : "release: \"2.0.0\"\nphase: compatible\n"
        try Data((header + "operations:\n" + step + "\n").utf8).write(to: app.appendingPathComponent("0003_step.yaml"))
    }

    /// The last setup migration, for `tandem migrate --to`.
    var setupTarget: String { expand == nil ? "app/0001_setup" : "app/0002_expand" }
}
