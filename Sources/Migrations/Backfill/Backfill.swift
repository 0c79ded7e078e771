import TandemDatabase

/// A batched data migration: `backfill: {table, set: {column: SQL}, where: SQL, batch_size: N}`.
///
/// A ``Backfiller`` walks the table by primary key in batches, each its own short transaction,
/// and checkpoints its progress in `tandem_backfills` in the same transaction, so a runner
/// stopped mid-way resumes where it stopped, with no row skipped or updated twice.
///
/// ```yaml
/// - backfill:
///     table: core_task
///     set: {state_code: "CASE state WHEN 'done' THEN 2 ELSE 1 END"}
///     where: state_code IS NULL
///     batch_size: 5000
/// ```
///
/// The expand half of a rename or type change reuses it: `set: {new: up(old)}`, or a no-op-like
/// `set: {old: old}` that fires the dual-write triggers.
///
/// ## Topics
/// - ``Backfiller``
/// - ``BackfillSettings``
/// - ``BackfillCheckpoint``
public struct Backfill: Sendable, Hashable {
    /// One `column: SQL expression` pair of `set`, in the file's order.
    public struct Assignment: Sendable, Hashable {
        /// The column written.
        public var column: String
        /// The SQL expression it gets, evaluated on the row (it may name the row's columns).
        public var expression: String

        /// Creates an assignment.
        public init(_ column: String, _ expression: String) {
            self.column = column
            self.expression = expression
        }
    }

    /// The table walked.
    public var table: String
    /// What each row gets, in order; never empty.
    public var assignments: [Assignment]
    /// The SQL condition a row must meet to be updated; nil updates every row.
    public var predicate: String?
    /// The rows per batch the file asks for; nil leaves it to ``BackfillSettings/batchSize``.
    public var batchSize: Int?
    /// Set for the expand step of a column change, whose backfill must not change the
    /// application's data: its batches keep the table's own triggers from firing (a `touch()`
    /// trigger would otherwise rewrite `updated_at` on every row). On PostgreSQL a batch runs
    /// with `session_replication_role = replica`, which also silences the dual-write trigger, so
    /// it writes these assignments (the new column from the old) instead of ``assignments``; on
    /// SQLite the application's triggers on the table are dropped and created again inside the
    /// batch's transaction, which no other writer can see. nil: triggers fire as for any UPDATE.
    /// Not part of ``definition``.
    public var quietAssignments: [Assignment]?

    /// Creates a backfill.
    public init(
        table: String, set assignments: [Assignment], where predicate: String? = nil, batchSize: Int? = nil,
        quietAssignments: [Assignment]? = nil
    ) {
        precondition(!assignments.isEmpty, "a backfill sets at least one column")
        precondition(batchSize.map { $0 > 0 } ?? true, "a batch holds at least one row")
        precondition(quietAssignments.map { !$0.isEmpty } ?? true, "a quiet backfill sets at least one column")
        self.table = table
        self.assignments = assignments
        self.predicate = predicate
        self.batchSize = batchSize
        self.quietAssignments = quietAssignments
    }

    /// What the backfill does, independent of how fast: table, assignments and condition. A
    /// checkpoint written for one definition is refused by another (the file was edited while
    /// the backfill was half done).
    public var definition: String {
        let set = assignments.map { "\(quoteIdentifier($0.column)) = \($0.expression)" }.joined(separator: ", ")
        return "UPDATE \(quoteIdentifier(table)) SET \(set)" + (predicate.map { " WHERE \($0)" } ?? "")
    }
}
