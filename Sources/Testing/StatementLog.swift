import Logging
import Synchronization

/// Records the statements a ``TandemDatabase/Database`` runs, through its logger, so tests can
/// count queries and check generated SQL without a server-side log.
///
/// ```swift
/// let log = StatementLog()
/// try await withTestDatabase(.sqliteMemory, logger: log.logger) { database in
///     ...
///     #expect(log.statements(matching: "SELECT").count == 2)
/// }
/// ```
public final class StatementLog: Sendable {
    private let recorded = Mutex<[String]>([])

    /// An empty log.
    public init() {}

    /// A trace-level logger that appends every logged statement to this log.
    public var logger: Logger {
        var logger = Logger(label: "tandem.test.statements") { _ in RecordingHandler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Every statement so far, in order.
    public var statements: [String] { recorded.withLock { $0 } }

    /// The statements that start with `prefix` (e.g. `SELECT`).
    public func statements(startingWith prefix: String) -> [String] {
        statements.filter { $0.hasPrefix(prefix) }
    }

    /// Forgets the statements recorded so far.
    public func reset() {
        recorded.withLock { $0.removeAll() }
    }

    fileprivate func append(_ statement: String) {
        recorded.withLock { $0.append(statement) }
    }
}

private struct RecordingHandler: LogHandler {
    let log: StatementLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append(event.message.description)
    }
}
