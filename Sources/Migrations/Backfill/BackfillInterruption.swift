import Dispatch
import Foundation
import Logging
import Synchronization

/// A request to stop at the next safe point: a backfill between two batches (the current batch
/// finishes and is checkpointed, then ``Backfiller/run(_:job:)`` throws ``BackfillInterrupted``),
/// a migration between two of its transactions, a run between two migrations
/// (``MigrationInterrupted``).
///
/// `tandem migrate` makes one with ``onSignals(_:logger:)``, so Ctrl-C stops cleanly:
///
/// ```swift
/// let interruption = BackfillInterruption.onSignals(logger: logger)
/// try Backfiller(connection: connection, interruption: interruption).run(backfill, job: job)
/// ```
public final class BackfillInterruption: Sendable {
    private let requested = Atomic<Int>(0)
    // Written only by `onSignals` before the instance is handed out, read only by `deinit`:
    // no two threads ever touch it at once.
    nonisolated(unsafe) private var installed: [(signal: Int32, source: any DispatchSourceSignal)] = []

    /// A request not made yet.
    public init() {}

    /// Asks the backfill to stop after its current batch.
    public func request() {
        requested.add(1, ordering: .sequentiallyConsistent)
    }

    /// Whether a stop was requested.
    public var isRequested: Bool {
        requested.load(ordering: .sequentiallyConsistent) > 0
    }

    /// An interruption requested by the first of `signals` (SIGINT and SIGTERM by default) the
    /// process receives. The library never ends the process: a second signal calls `onRepeat`
    /// instead, and the caller decides (`tandem migrate` exits at once with status 1; the open
    /// batch's transaction is then rolled back by the database, so the checkpoint stays exact).
    public static func onSignals(
        _ signals: [Int32] = [SIGINT, SIGTERM], logger: Logger, onRepeat: @escaping @Sendable () -> Void = {}
    ) -> BackfillInterruption {
        let interruption = BackfillInterruption()
        for number in signals {
            // The signal must not end the process before the handler sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak interruption] in
                guard let interruption else { return }
                if interruption.isRequested {
                    onRepeat()
                    return
                }
                interruption.request()
                logger.notice(
                    "interrupted: stopping at the next safe point, after the current batch or transaction (interrupt again to stop at once)"
                )
            }
            source.resume()
            interruption.installed.append((number, source))
        }
        return interruption
    }

    /// Gives the signals back their default action.
    deinit {
        for (number, source) in installed {
            source.cancel()
            signal(number, SIG_DFL)
        }
    }
}
