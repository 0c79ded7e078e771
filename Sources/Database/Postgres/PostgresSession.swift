import CLibPQ
import Dispatch
import Foundation
import Synchronization

/// A dedicated PostgreSQL session outside the pool, for what needs one session for a long time:
/// `LISTEN` for notifications, and session advisory locks that must free themselves when the
/// process dies.
///
/// Every call runs on the session's own serial queue, so async callers suspend and Swift's
/// cooperative pool never blocks, not even while ``waitForNotifications(timeout:)`` waits on
/// the socket.
///
/// ```swift
/// let session = try await PostgresSession.open(url)
/// try await session.execute("LISTEN tandem_tasks")
/// let channels = try await session.waitForNotifications(timeout: .milliseconds(500))
/// ```
public final class PostgresSession: Sendable {
    // The driver is only touched on `queue`, one call at a time, which is what makes the
    // unchecked box safe.
    private final class Box: @unchecked Sendable {
        private var open: PostgresDriver?
        init(_ driver: PostgresDriver) { self.open = driver }

        var driver: PostgresDriver {
            get throws {
                guard let open else {
                    throw DatabaseError(
                        kind: .connection, dialect: .postgres, code: nil, message: "the session was closed")
                }
                return open
            }
        }

        func close() { open = nil }
    }

    private let box: Box
    private let queue = DispatchQueue(label: "tandem.postgres.session")

    private init(driver: PostgresDriver) {
        self.box = Box(driver)
    }

    /// Opens a session to the PostgreSQL server `url` names, on a thread of its own.
    ///
    /// - Throws: ``DatabaseError`` of kind `connection`, or when `url` is not a PostgreSQL URL.
    public static func open(_ url: DatabaseURL) async throws -> PostgresSession {
        guard case .postgres(let parameters) = url.location else {
            throw DatabaseError(
                kind: .connection, dialect: url.dialect, code: nil,
                message: "a PostgreSQL session needs a PostgreSQL URL")
        }
        let queue = DispatchQueue(label: "tandem.postgres.session.open")
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(
                    with: Result { PostgresSession(driver: try PostgresDriver(parameters: parameters)) })
            }
        }
    }

    /// Runs one statement on this session and returns its rows.
    public func query(_ sql: String, _ values: [DatabaseValue] = []) async throws -> [Row] {
        let box = self.box
        return try await onQueue { try box.driver.query(sql, values) }
    }

    /// Runs one statement on this session.
    public func execute(_ sql: String, _ values: [DatabaseValue] = []) async throws {
        let box = self.box
        try await onQueue { _ = try box.driver.execute(sql, values) }
    }

    /// Waits until at least one notification arrives for a channel this session listens on, or
    /// `timeout` passes; returns the channels notified (empty after a timeout).
    ///
    /// - Throws: ``DatabaseError`` of kind `connection` when the session is lost.
    public func waitForNotifications(timeout: Duration) async throws -> [String] {
        let box = self.box
        let milliseconds = timeout.timeoutMilliseconds
        return try await onQueue { try Self.wait(try box.driver.connection, milliseconds: milliseconds) }
    }

    /// Whether the session is still connected.
    public var isConnected: Bool {
        get async {
            let box = self.box
            return (try? await onQueue { PQstatus(try box.driver.connection) == CONNECTION_OK }) ?? false
        }
    }

    /// Ends the session, freeing its advisory locks and its `LISTEN`s; later calls throw.
    public func close() async {
        let box = self.box
        _ = try? await onQueue { box.close() }
    }

    private static func wait(_ connection: OpaquePointer, milliseconds: Int32) throws -> [String] {
        var channels = try drain(connection)
        if !channels.isEmpty { return channels }
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw lost(connection) }
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR { throw lost(connection) }
        channels = try drain(connection)
        return channels
    }

    /// Reads what the server sent and takes every pending notification.
    private static func drain(_ connection: OpaquePointer) throws -> [String] {
        guard PQconsumeInput(connection) == 1, PQstatus(connection) == CONNECTION_OK else { throw lost(connection) }
        var channels: [String] = []
        while let notification = PQnotifies(connection) {
            channels.append(String(cString: notification.pointee.relname))
            PQfreemem(notification)
        }
        return channels
    }

    private static func lost(_ connection: OpaquePointer) -> DatabaseError {
        DatabaseError(
            kind: .connection, dialect: .postgres, code: nil,
            message: String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
