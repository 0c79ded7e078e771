/// One SQL statement an ``Operation`` renders to, with how the runner must execute it.
public struct MigrationStatement: Sendable, Hashable, CustomStringConvertible {
    /// The statement.
    public var sql: String
    /// Whether it runs inside the migration's transaction. When false (PostgreSQL's
    /// `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, and `VALIDATE CONSTRAINT`, which
    /// must not hold the lock of the `ADD CONSTRAINT … NOT VALID` before it), the runner commits
    /// what came before and runs it alone, in autocommit.
    public var transactional: Bool
    /// For a non-transactional statement, SQL that undoes what a failure of it leaves behind:
    /// the INVALID index of a failed concurrent build, the unvalidated constraint of a failed
    /// validation. The runner runs it when the statement fails.
    public var cleanupOnFailure: String?
    /// Whether it is part of a SQLite table rebuild, which must run with foreign keys off
    /// (`PRAGMA foreign_keys = OFF` before the transaction begins: SQLite ignores it inside one)
    /// so that dropping the old table deletes nothing through `ON DELETE CASCADE`; the runner
    /// checks `PRAGMA foreign_key_check` before committing and turns foreign keys on again after.
    public var needsForeignKeysOff: Bool

    /// Creates a statement; by default transactional, with no cleanup, foreign keys as they are.
    public init(
        _ sql: String, transactional: Bool = true, cleanupOnFailure: String? = nil, needsForeignKeysOff: Bool = false
    ) {
        self.sql = sql
        self.transactional = transactional
        self.cleanupOnFailure = cleanupOnFailure
        self.needsForeignKeysOff = needsForeignKeysOff
    }

    /// The SQL, as `--plan --format sql` prints it.
    public var description: String { sql }
}

/// An operation that cannot be rendered against the live schema: its table or column does
/// not exist, or a detail table's key does not match its parent's. Bad input, exit code 2.
public struct OperationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the table, column or constraint.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
