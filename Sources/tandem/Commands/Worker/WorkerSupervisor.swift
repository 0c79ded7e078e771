import ArgumentParser
import Foundation
import Logging
import Synchronization
import TandemTasks

/// Runs the worker process and restarts it when a task crashes it, marking that task failed
/// with the cause first (when the database lets it: otherwise the new worker process's check for
/// missing workers does). Signals are passed on to the worker process.
struct WorkerSupervisor {
    let database: DatabaseOptions
    let burst: Bool

    func run() async throws {
        var logger = Logger(label: "tandem.worker")
        logger.logLevel = .info
        let current = RunningWorker()
        let signals = WorkerSignals.install { count in
            current.stopping.withLock { $0 = true }
            if let pid = current.pid.withLock({ $0 }) { kill(pid, SIGTERM) }
        }
        defer { withExtendedLifetime(signals) {} }
        while true {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["worker", "--serve"] + (burst ? ["--burst"] : []) + databaseArguments
            let ended = try await start(process, publishing: current)
            current.pid.withLock { $0 = nil }
            if process.terminationReason == .exit {
                guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
                return
            }
            let signal = process.terminationStatus
            let cause = "the worker process was killed by signal \(signal)\(Self.name(of: signal))"
            do {
                let database = try self.database.open(maximumConnections: 1)
                defer { database.close() }
                let failed = try await TaskEnvironment.queue(database).failTasks(ofProcess: ended, cause: cause)
                logger.error("\(cause); \(failed) task(s) marked failed")
            } catch {
                // A database restarting or locked right now must not end the command: the new
                // worker process's check for missing workers fails those tasks (their process is
                // gone). Database errors name the statement, never its values.
                logger.error(
                    "\(cause); its tasks are not marked failed yet: the new worker process's check for missing workers will",
                    metadata: ["error": "\(error)"])
            }
            if current.stopping.withLock({ $0 }) { throw ExitCode(1) }
            logger.notice("starting a new worker process")
        }
    }

    private var databaseArguments: [String] {
        database.database.map { ["--database", $0] } ?? []
    }

    /// Starts `process`, publishes its pid, and waits for it to end without blocking a thread of
    /// Swift's cooperative pool; returns its pid.
    private func start(_ process: Process, publishing current: RunningWorker) async throws -> Int32 {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { ended in continuation.resume(returning: ended.processIdentifier) }
            do {
                try process.run()
                current.pid.withLock { $0 = process.processIdentifier }
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    private static func name(of signal: Int32) -> String {
        switch signal {
        case SIGKILL: " (SIGKILL)"
        case SIGSEGV: " (SIGSEGV)"
        case SIGILL: " (SIGILL, a trap)"
        case SIGTRAP: " (SIGTRAP, a trap)"
        case SIGABRT: " (SIGABRT)"
        case SIGBUS: " (SIGBUS)"
        default: ""
        }
    }
}

/// The worker process the supervisor runs, and whether a stop was asked for; shared with the
/// signal handlers.
final class RunningWorker: Sendable {
    /// The worker process's pid while it runs.
    let pid = Mutex<Int32?>(nil)
    /// Whether a signal asked to stop.
    let stopping = Mutex(false)
}
