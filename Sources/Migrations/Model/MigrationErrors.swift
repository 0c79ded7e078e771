/// A problem in a migration file, with where it is. Invalid files are bad input: exit code 2,
/// and nothing runs.
public struct MigrationFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's path.
    public let path: String
    /// The 1-based line, when the problem has one.
    public let line: Int?
    /// What is wrong, naming the key or operation.
    public let message: String

    /// Creates an error.
    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, the form editors and CI annotate.
    public var description: String {
        line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)"
    }
}

/// Every problem found in a set of migration files, reported together.
public struct MigrationFileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in file and line order.
    public let errors: [MigrationFileError]

    /// Creates the list.
    public init(_ errors: [MigrationFileError]) {
        self.errors = errors
    }

    /// One problem per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A migration run refused for safety: a version gate, a changed applied file, or the migration
/// lock held by another runner. Exit code 3; nothing was applied by the refused step.
///
/// Switch on ``reason`` to act on it; ``message`` says the same for people:
///
/// ```swift
/// do {
///     try migrator.migrate(MigrationRequest(breaking: true))
/// } catch let refusal as MigrationRefusal {
///     if case .gate(let blockers) = refusal.reason { alert(blockers.map(\.process)) }
/// }
/// ```
public struct MigrationRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why a run was refused, with what a caller needs to act on it.
    public enum Reason: Sendable, Hashable {
        /// Another runner holds the migration lock; `holder` describes it when the database says
        /// (server process and client, or host and pid).
        case lockHeld(holder: String?)
        /// Live processes run versions older than a breaking migration requires.
        case gate([GateBlocker])
        /// Live processes run a release that ships a migration `--to` would undo.
        case rollbackInUse([RollbackBlocker])
        /// Applied migration files changed since they were applied.
        case changedFiles([MigrationID])
        /// Pending migration files changed since a run applied part of them
        /// (``MigrationProgress``).
        case startedFileChanged([MigrationID])
        /// `--to` cannot undo these migrations (breaking, gone, or without an inverse).
        case rollbackImpossible([String])
        /// A backfill's definition changed while it was half done.
        case backfillChanged(BackfillJob)
        /// Another process is running the same backfill.
        case backfillContended(BackfillJob)
        /// A backfill's checkpoint does not fit the table's primary key any more.
        case backfillCheckpointInvalid(BackfillJob)
    }

    /// Why, for a caller to switch on.
    public let reason: Reason
    /// Why, in a sentence or more, naming the blocking processes or the changed file.
    public let message: String

    /// Creates a refusal.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
