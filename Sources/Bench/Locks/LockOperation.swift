/// One operation kind `tandem-bench locks` measures: the migration files it needs applied
/// first, and the file it measures.
struct LockOperation {
    /// The name printed.
    let name: String
    /// Files applied before the writers start, after the base table (`0002_…`).
    let preparation: [String: String]
    /// The measured migration's file name and YAML.
    let measured: (file: String, yaml: String)
    /// What its lock does to writers, for the table.
    let note: String

    /// The table the writers update and the reader holds.
    static let table = "bench_locks"

    /// `bench/0001_base.yaml`: the table, with a parent table for the foreign key.
    static let base = """
        release: "1.0.0"
        phase: compatible
        operations:
          - create_table: {name: bench_locks_parent, columns: [{name: id, type: bigint, null: false}], primary_key: [id]}
          - create_table:
              name: bench_locks
              columns:
                - {name: id, type: bigint, null: false}
                - {name: w, type: bigint, null: false, default: 0}
                - {name: parent_id, type: bigint}
                - {name: n, type: bigint}
                - {name: old, type: text}
              primary_key: [id]

        """

    /// Every kind the issue names, in order.
    static let all: [LockOperation] = [
        LockOperation(
            name: "add_column", preparation: [:],
            measured: compatible("add_column: {table: bench_locks, column: {name: extra, type: text}}"),
            note: "ACCESS EXCLUSIVE, bounded by --ddl-lock-timeout"),
        LockOperation(
            name: "create_index", preparation: [:],
            measured: compatible("create_index: {table: bench_locks, columns: [n]}"),
            note: "CONCURRENTLY: waits for the reader's snapshot, blocks no writer"),
        LockOperation(
            name: "add_foreign_key", preparation: [:],
            measured: compatible(
                "add_foreign_key: {table: bench_locks, columns: [parent_id], references: {table: bench_locks_parent, columns: [id]}}"
            ),
            note: "NOT VALID (bounded), then VALIDATE (blocks no writer)"),
        LockOperation(
            name: "add_check", preparation: [:],
            measured: compatible("add_check: {table: bench_locks, expression: \"n > 0\"}"),
            note: "NOT VALID (bounded), then VALIDATE (blocks no writer)"),
        LockOperation(
            name: "set_not_null", preparation: [:],
            measured: breaking("set_not_null: {table: bench_locks, column: n}"),
            note: "validated check, then SET NOT NULL without a scan: bounded"),
        LockOperation(
            name: "rename_column (expand)", preparation: [:],
            measured: compatible("rename_column: {table: bench_locks, from: old, to: fresh}"),
            note: "add column + triggers (bounded), backfill in batches"),
        LockOperation(
            name: "complete_rename",
            preparation: [
                "0002_expand.yaml": compatible(
                    "rename_column: {table: bench_locks, from: old, to: fresh}"
                ).yaml
            ],
            measured: breaking("complete_rename: {table: bench_locks, from: old, to: fresh}", number: 3),
            note: "drops triggers and the old column: bounded"),
        LockOperation(
            name: "drop_column", preparation: [:],
            measured: breaking("drop_column: {table: bench_locks, column: old}"),
            note: "ACCESS EXCLUSIVE, bounded by --ddl-lock-timeout"),
    ]

    private static func compatible(_ operation: String) -> (file: String, yaml: String) {
        ("0002_measured.yaml", "release: \"1.1.0\"\nphase: compatible\noperations:\n  - \(operation)\n")
    }

    private static func breaking(_ operation: String, number: Int = 2) -> (file: String, yaml: String) {
        (
            "000\(number)_measured.yaml",
            "release: \"1.1.0\"\nphase: breaking\nrequires: {bench: \"1.0.0\"}\noperations:\n  - \(operation)\n"
        )
    }
}
