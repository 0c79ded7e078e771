/// Checks migration files without a database: what ``MigrationLoader`` checks, plus the phase
/// rule and warnings for risky steps. `tandem lint` prints its findings; `tandem migrate` runs
/// it first and refuses on an error.
///
/// Errors:
/// - every problem of ``MigrationLoader`` (syntax, keys, types, versions, names, dependencies);
/// - a compatible file holding a breaking operation, naming the operation, its line and why it
///   breaks earlier code;
/// - a `rename_column` / `change_type` whose `up` does not name the old column or whose `down`
///   does not name the new one;
/// - an identifier longer than PostgreSQL's 63 bytes (it would be cut there);
/// - a column change sharing a column with an earlier one not yet completed (a chain `a → b`,
///   `b → c`).
///
/// Warnings (each a step that can be right, but deserves a second look):
/// - `drop_index`: earlier code stays correct but its queries may get slow;
/// - `sql` declared compatible: Tandem cannot verify raw SQL keeps earlier code working;
/// - a compatible `sql` without `down`: `migrate --to` cannot undo the file;
/// - `add_foreign_key` / `add_check` on a table the file does not create: validation scans the
///   table, and earlier code may still write rows the constraint rejects;
/// - `set_default` with NULL dropping a default on a NOT NULL column: earlier code relying on
///   the default would fail to insert;
/// - `create_table` without a primary key;
/// - a breaking file whose operations are all compatible: it could run before the rollout;
/// - a `change_type` whose `up` or `down` casts, outside a `CASE`, to a type that not every
///   value converts to (`CAST(size AS INTEGER)`): see ``partialCastWarnings(_:)``.
///
/// ```swift
/// let report = Lint.run(paths: ["migrations"])
/// for finding in report.findings { print(finding) }   // migrations/file/0002_x.yaml:5: error: …
/// ```
public enum Lint {
    /// Lints the files named by `paths` (see ``MigrationLoader/load(paths:)``).
    public static func run(paths: [String]) -> LintReport {
        report { () throws(MigrationFileErrors) in try MigrationLoader.load(paths: paths) }
    }

    /// Lints the migrations folder `directory`.
    public static func run(directory: String) -> LintReport {
        report { () throws(MigrationFileErrors) in try MigrationLoader.load(directory: directory) }
    }

    /// Loads `directory` as `migrate` must: the set and its warnings, or every error.
    ///
    /// - Throws: ``MigrationFileErrors`` holding each error finding (exit code 2).
    public static func load(directory: String) throws(MigrationFileErrors) -> (
        set: MigrationSet, warnings: [LintFinding]
    ) {
        let report = run(directory: directory)
        guard let set = report.set, !report.hasErrors else {
            throw MigrationFileErrors(
                report.errors.map { MigrationFileError(path: $0.path, line: $0.line, message: $0.message) })
        }
        return (set, report.warnings)
    }

    /// The phase errors and the warnings of loaded migrations, by file and line.
    public static func check(_ set: MigrationSet) -> [LintFinding] {
        (set.migrations.flatMap(check) + unpairedCompletions(set) + chainedColumnChanges(set))
            .sorted { ($0.path, $0.line ?? 0) < ($1.path, $1.line ?? 0) }
    }

    /// A `complete_rename` / `complete_change_type` must name an expand step of an earlier
    /// migration (one applied before it): completing a change that never expanded would drop a
    /// column new code has no copy of.
    private static func unpairedCompletions(_ set: MigrationSet) -> [LintFinding] {
        var expanded: [ColumnChange] = []
        var findings: [LintFinding] = []
        for migration in set.migrations {
            for located in migration.operations {
                guard case .completeColumn(let change) = located.operation,
                    !expanded.contains(where: { $0.pairs(with: change) })
                else { continue }
                findings.append(
                    LintFinding(
                        .error, path: migration.path, line: located.line,
                        message:
                            "\(located.operation.summary) has no \(change.expandName) of \(change.table).\(change.old) to \(change.new) in an earlier migration"
                    ))
            }
            for located in migration.operations {
                if case .expandColumn(let change) = located.operation { expanded.append(change) }
            }
        }
        return findings
    }

    private static func report(_ load: () throws(MigrationFileErrors) -> MigrationSet) -> LintReport {
        do {
            let set = try load()
            return LintReport(set: set, findings: check(set))
        } catch {
            return LintReport(set: nil, findings: error.errors.map(LintFinding.init))
        }
    }

    private static func check(_ migration: Migration) -> [LintFinding] {
        var findings: [LintFinding] = []
        func add(_ severity: LintFinding.Severity, _ line: Int?, _ message: String) {
            findings.append(LintFinding(severity, path: migration.path, line: line, message: message))
        }
        // The loader refuses such a file; a set built in code must not skip the version gate.
        if migration.phase == .breaking, migration.requires.isEmpty {
            add(
                .error, nil,
                "a breaking migration must name in 'requires' the component versions every live process must run"
            )
        }
        let created = Set(
            migration.operations.compactMap { located -> String? in
                if case .createTable(let table, _, _) = located.operation { table.name } else { nil }
            })
        for located in migration.operations {
            let operation = located.operation
            if migration.phase == .compatible, let reason = operation.breakingReason {
                add(
                    .error, located.line,
                    "\(operation.summary) is breaking in a compatible migration: \(reason); move it to a breaking migration"
                )
            }
            for error in nameErrors(operation) {
                add(.error, located.line, error)
            }
            for warning in warnings(operation, created: created, phase: migration.phase) {
                add(.warning, located.line, warning)
            }
        }
        if migration.phase == .breaking, migration.operations.allSatisfy({ $0.operation.phase == .compatible }) {
            add(
                .warning, nil,
                "breaking migration holds only compatible operations: as a compatible one it could run before the rollout"
            )
        }
        return findings
    }

    private static func warnings(_ operation: Operation, created: Set<String>, phase: Phase) -> [String] {
        switch operation {
        case .dropIndex(let table, let name):
            return [
                "\(operation.name) \(name) on \(table): earlier code stays correct, but its queries that used the index may get slow"
            ]
        case .sql(_, let down, .compatible):
            var warnings = ["raw SQL declared compatible: Tandem cannot verify that earlier code keeps working with it"]
            if down == nil {
                warnings.append("raw SQL without 'down' cannot be undone: migrate --to stops at this migration")
            }
            return warnings
        case .addForeignKey(let table, _), .addCheck(let table, _):
            guard !created.contains(table) else { return [] }
            return [
                "\(operation.name) on \(table): validation scans every row, and earlier code may still write rows the new constraint rejects"
            ]
        case .setDefault(let table, let column, nil):
            return [
                "set_default \(table).\(column) to null drops the default: earlier code that leaves \(column) out of its inserts relies on it"
            ]
        case .createTable(let table, _, _) where table.primaryKey.isEmpty:
            return ["create_table \(table.name) has no primary_key"]
        case .expandColumn(let change):
            return partialCastWarnings(change)
        default:
            return []
        }
    }
}
