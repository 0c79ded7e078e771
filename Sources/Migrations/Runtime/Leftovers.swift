import Foundation
import TandemDatabase
import TandemSchema
import TandemTriggers

/// Something an interrupted `tandem migrate` can leave on the database, as `tandem status`
/// reports it: an INVALID index, a NOT VALID constraint, a column sync whose triggers are broken
/// or that no migration declares, or a statement of the migration runner still running on the
/// server.
///
/// In `tandem status --json` each is an object under `leftovers` with the keys `kind`
/// (`invalid_index`, `not_valid_constraint`, `orphan_column_sync`, `running_statement`),
/// `table` (or null), `name`, `step` (the migration and operation it belongs to, found from the
/// deterministic names Tandem gives its objects; null when none matches) and `detail`.
public struct Leftover: Sendable, Hashable, Encodable {
    /// What kind of leftover it is; the JSON's `kind`.
    public enum Kind: String, Sendable, Hashable, Encodable {
        /// A PostgreSQL index an interrupted concurrent build left INVALID. PostgreSQL still
        /// maintains it on every write; the next `tandem migrate` of its step drops and builds it.
        case invalidIndex = "invalid_index"
        /// A PostgreSQL constraint added NOT VALID whose validation did not finish; the next
        /// `tandem migrate` of its step validates it.
        case notValidConstraint = "not_valid_constraint"
        /// Column sync triggers with problems, or installed for a change no migration declares.
        case orphanColumnSync = "orphan_column_sync"
        /// A statement the migration lock's holder runs on the server: a runner at work, or the
        /// orphan of a killed one (it stops once the server sees the client gone).
        case runningStatement = "running_statement"
    }

    /// What kind of leftover it is.
    public let kind: Kind
    /// The table it is on; nil for a running statement.
    public let table: String?
    /// The index, constraint, trigger or server process name.
    public let name: String
    /// The step it belongs to, `app/0002_index: create_index (line 4)`; nil when none matches.
    public let step: String?
    /// More about it, for people: no row values.
    public let detail: String

    /// One line for `tandem status`.
    public var description: String {
        "\(kind.rawValue) \(name)\(table.map { " on \($0)" } ?? ""): \(detail)" + (step.map { "; step \($0)" } ?? "")
    }
}

extension Leftover {
    /// The leftovers on the database `connection` reaches, with the step of `migrations` each
    /// belongs to.
    static func find(on connection: Connection, migrations: MigrationSet) throws -> [Leftover] {
        let live = try connection.introspectLiveSchema()
        let owners = owners(in: migrations, live: live)
        var found: [Leftover] = []
        for index in try connection.invalidIndexes() {
            found.append(
                Leftover(
                    kind: .invalidIndex, table: index.table, name: index.name, step: owners[index.name],
                    detail:
                        "INVALID (a concurrent build that did not finish); maintained on every write, used by no query"
                ))
        }
        for constraint in try connection.unvalidatedConstraints() {
            found.append(
                Leftover(
                    kind: .notValidConstraint, table: constraint.table, name: constraint.name,
                    step: owners[constraint.name],
                    detail: "NOT VALID (its validation did not finish); rows written before it are not checked"))
        }
        let declared = migrations.migrations.flatMap { migration in
            migration.operations.compactMap { located -> ColumnChange? in
                if case .expandColumn(let change) = located.operation { change } else { nil }
            }
        }
        for installed in try connection.installedColumnSyncs() {
            let known = installed.sync.map { sync in
                declared.contains { $0.table == sync.table && $0.old == sync.old && $0.new == sync.new }
            }
            guard !installed.problems.isEmpty || known != true else { continue }
            found.append(
                Leftover(
                    kind: .orphanColumnSync, table: installed.table, name: installed.objects.joined(separator: ", "),
                    step: nil,
                    detail: installed.problems.isEmpty
                        ? "no migration declares this column change" : installed.problems.joined(separator: "; ")))
        }
        found += try runningStatements(on: connection, owners: owners)
        return found
    }

    /// The steps that create objects under deterministic names, by object name.
    private static func owners(in migrations: MigrationSet, live: LiveSchema) -> [String: String] {
        var owners: [String: String] = [:]
        for migration in migrations.migrations {
            for located in migration.operations {
                let step = "\(migration.id): \(located.operation.name) (line \(located.line))"
                let name: String?
                switch located.operation {
                case .createIndex(let table, let index):
                    name = try? live.indexTarget(index, on: table, for: located.operation.name).name
                case .addForeignKey, .addCheck:
                    name = try? live.constraintTarget(of: located.operation).name
                case .setNotNull(let table, let column):
                    name = ConstraintName.fitted(table + "_" + column, suffix: "_not_null")
                default:
                    name = nil
                }
                if let name, owners[name] == nil { owners[name] = step }
            }
        }
        return owners
    }

    /// PostgreSQL: the statements of the sessions holding the migration lock of this database and
    /// schema, other than `connection`'s own. Only their first words are shown: raw SQL may hold values.
    private static func runningStatements(on connection: Connection, owners: [String: String]) throws -> [Leftover] {
        guard connection.dialect == .postgres else { return [] }
        let rows = try connection.query(
            """
            SELECT a.pid, a.query, extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS seconds
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = \(MigrationLock.advisoryClass)
                AND l.objid::bigint = (hashtext(current_database() || '.' || coalesce(current_schema(), ''))::bigint & 4294967295)
                AND a.pid <> pg_backend_pid() AND a.state = 'active'
            """)
        return try rows.map { row in
            let query = try row.decode(String.self, "query")
            let words = query.split(whereSeparator: \.isWhitespace).prefix(4)
                .prefix { !$0.contains("'") && !$0.contains("$") }.joined(separator: " ")
            let step = owners.first { query.contains(quoteIdentifier($0.key)) }?.value
            return Leftover(
                kind: .runningStatement, table: nil, name: "server process \(try row.decode(Int.self, "pid"))",
                step: step,
                detail:
                    "the migration runner's statement `\(words) …` running for \(String(format: "%.1f", try row.decode(Double.self, "seconds")))s"
            )
        }
    }
}
