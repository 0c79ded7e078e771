import ServiceLifecycle
import Synchronization

/// A worker's claim-and-run loop as a `Service`, run beside its ``ProcessRegistration``.
///
/// Graceful shutdown asks the loop to stop after the running task; cancellation (the group's
/// answer to a lost heartbeat) stops it at once, the running task marked failed. The loop runs
/// in a task of its own, so cancellation reaches it only through ``WorkerStop``, never half-way
/// through recording a task's end.
final class WorkerLoop: Service, Sendable {
    private let worker: Worker
    private let name: String
    private let burst: Bool
    private let stop: WorkerStop
    private let finished = Mutex(Worker.Report())

    init(worker: Worker, name: String, burst: Bool, stop: WorkerStop) {
        self.worker = worker
        self.name = name
        self.burst = burst
        self.stop = stop
    }

    /// What the loop did, once it has returned.
    var report: Worker.Report { finished.withLock { $0 } }

    func run() async throws {
        let (worker, name, burst, stop) = (self.worker, self.name, self.burst, self.stop)
        let loop = Task { try await worker.serve(name: name, burst: burst, stop: stop) }
        let report = try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await loop.value
            } onGracefulShutdown: {
                stop.request()
            }
        } onCancel: {
            stop.requestImmediate()
        }
        finished.withLock { $0 = report }
    }
}
