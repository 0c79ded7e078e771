import Foundation
import Logging
import Synchronization
import TandemTasks

/// The worker process itself (`tandem worker --serve`), started by ``WorkerSupervisor``.
enum WorkerProcess {
    static func serve(database options: DatabaseOptions, burst: Bool) async throws {
        let logger = {
            var logger = Logger(label: "tandem.worker")
            logger.logLevel = .info
            return logger
        }()
        let database = try options.open()
        defer { database.close() }
        let stop = WorkerStop()
        // Only SIGTERM counts: Ctrl-C reaches the supervisor and this process together, and the
        // supervisor passes it on as SIGTERM.
        signal(SIGINT, SIG_IGN)
        let signals = WorkerSignals.install([SIGTERM]) { count in
            stop.request()
            if count == 1 {
                logger.notice("stopping after the running task (signal again to stop at once)")
            }
        }
        defer { withExtendedLifetime(signals) {} }
        let application = try ExampleApplication.assemble()
        let host = try TaskEnvironment.hostSettings(of: application)
        let queue = TaskQueue(
            database: database,
            registry: try TaskEnvironment.registry(serving: database, application: application, settings: host),
            settings: try TaskEnvironment.settings(from: host))
        let worker = Worker(queue: queue, versions: application.componentVersions, logger: logger)
        let report = try await worker.run(burst: burst, stop: stop)
        let ran = report.finished.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        logger.info("worker done: \(ran.isEmpty ? "no tasks" : ran.joined(separator: ", "))")
        if await stop.isImmediate { throw WorkerStoppedNow() }
    }
}

/// A second signal stopped the worker before its task ended (exit code 1).
struct WorkerStoppedNow: Error, CustomStringConvertible {
    var description: String { "stopped at once: the running task was marked failed" }
}

/// Signal handlers that count signals instead of ending the process.
final class WorkerSignals {
    private let sources: [any DispatchSourceSignal]

    private init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    /// Calls `handler` with the number of signals received so far, on each of `signals`.
    static func install(_ signals: [Int32] = [SIGTERM, SIGINT], _ handler: @escaping @Sendable (Int) -> Void)
        -> WorkerSignals
    {
        let counter = SignalCounter()
        let sources = signals.map { number -> any DispatchSourceSignal in
            // The signal must not end the process before the handler sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(counter.next()) }
            source.resume()
            return source
        }
        return WorkerSignals(sources: sources)
    }

    deinit {
        for source in sources { source.cancel() }
    }
}

/// Counts signals across handlers.
private final class SignalCounter: Sendable {
    private let count = Mutex(0)

    func next() -> Int {
        count.withLock {
            $0 += 1
            return $0
        }
    }
}
