import Foundation
import Logging
import Synchronization

/// Shows backfill progress: on a terminal, a progress bar with rows done, rows/s and ETA,
/// redrawn in place; otherwise a log line every few seconds and one when a backfill finishes.
///
/// ```swift
/// let display = BackfillProgressDisplay.standardError(logger: logger)
/// try Backfiller(connection: connection, onProgress: display.report).run(backfill, job: job)
/// ```
public final class BackfillProgressDisplay: Sendable {
    /// Where progress goes.
    public enum Output: Sendable {
        /// A progress bar redrawn in place on this terminal.
        case terminal(FileHandle)
        /// A log line at `info` level at most every `interval`, and when a backfill finishes.
        case log(Logger, interval: Duration)
    }

    private let output: Output
    private let lastLine = Mutex<ContinuousClock.Instant?>(nil)

    /// A display writing to `output`.
    public init(_ output: Output) {
        self.output = output
    }

    /// A progress bar when standard error is a terminal, else log lines every 5 seconds.
    public static func standardError(logger: Logger, interval: Duration = .seconds(5)) -> BackfillProgressDisplay {
        isatty(STDERR_FILENO) == 1
            ? BackfillProgressDisplay(.terminal(.standardError))
            : BackfillProgressDisplay(.log(logger, interval: interval))
    }

    /// Shows `progress`; pass it as ``Backfiller``'s `onProgress`.
    @Sendable public func report(_ progress: BackfillProgress) {
        switch output {
        case .terminal(let handle):
            handle.write(Data(("\r\u{1B}[K" + Self.bar(for: progress) + (progress.isFinished ? "\n" : "")).utf8))
        case .log(let logger, let interval):
            let now = ContinuousClock.now
            let due = lastLine.withLock { last in
                guard progress.isFinished || last.map({ now - $0 >= interval }) ?? true else { return false }
                last = now
                return true
            }
            if due { logger.info("\(Self.line(for: progress))") }
        }
    }

    /// The log line of `progress`:
    /// `backfill core/0004_states#0 core_task: 45000 of ~100000 rows (45%), 12345 rows/s, ETA 0:04`.
    public static func line(for progress: BackfillProgress) -> String {
        let head = "backfill \(progress.job) \(progress.table): "
        if progress.isFinished {
            return head + "done, \(progress.rowsDone) rows in \(progress.batches) batches"
                + ", \(Int(progress.rowsPerSecond.rounded())) rows/s"
        }
        return head + "\(progress.rowsDone) of ~\(progress.rowsTotal) rows (\(Int(progress.fraction * 100))%)"
            + ", \(Int(progress.rowsPerSecond.rounded())) rows/s, ETA \(eta(progress))"
    }

    /// The bar of `progress`:
    /// `core_task [#########...........]  45%  45000/~100000 rows  12345 rows/s  ETA 0:04`.
    public static func bar(for progress: BackfillProgress) -> String {
        let width = 24
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let percent = String(Int(progress.fraction * 100))
        return "\(progress.table) [" + String(repeating: "#", count: filled)
            + String(repeating: ".", count: width - filled) + "] "
            + String(repeating: " ", count: 3 - percent.count) + percent + "%  "
            + "\(progress.rowsDone)/~\(progress.rowsTotal) rows  \(Int(progress.rowsPerSecond.rounded())) rows/s  "
            + "ETA \(eta(progress))"
    }

    private static func eta(_ progress: BackfillProgress) -> String {
        guard let remaining = progress.estimatedRemaining else { return "?" }
        let seconds = Int(remaining.timeInterval.rounded(.up))
        return seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }
}
