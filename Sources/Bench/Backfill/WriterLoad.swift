import Foundation
import Synchronization
import TandemDatabase

/// Writers, each a thread with its own connection, updating random rows of the bench table as
/// fast as they can while something else runs; records every update's latency.
struct WriterLoad {
    let url: DatabaseURL
    let writers: Int
    let rows: Int
    /// The table updated: `id` from 1 to `rows`, and an integer column `w`.
    var table = BackfillBenchmark.table

    struct Figures {
        /// Updates made.
        let writes: Int
        /// The 99th percentile of their latencies.
        let p99: Duration
        /// The slowest update.
        let slowest: Duration
        /// How long `during` ran.
        let elapsed: Duration
    }

    /// Starts the writers, runs `during`, stops them and returns their figures.
    func run(during: () throws -> Void) throws -> Figures {
        let databases = try (0..<writers).map { _ in try Database(url: url, maximumConnections: 1) }
        defer { databases.forEach { $0.close() } }
        let running = Atomic<Bool>(true)
        let latencies = Mutex<[Duration]>([])
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        for database in databases {
            group.enter()
            Thread.detachNewThread { [rows, table] in
                defer { group.leave() }
                var own: [Duration] = []
                do {
                    try database.withConnection { connection in
                        let update =
                            "UPDATE \(quoteIdentifier(table)) SET w = w + 1 WHERE id = \(connection.dialect.placeholder(1))"
                        while running.load(ordering: .relaxed) {
                            let started = ContinuousClock.now
                            try connection.execute(update, [.integer(Int64.random(in: 1...Int64(rows)))])
                            own.append(ContinuousClock.now - started)
                        }
                    }
                } catch {
                    failure.withLock { $0 = error }
                }
                latencies.withLock { $0.append(contentsOf: own) }
            }
        }
        let started = ContinuousClock.now
        let outcome = Result { try during() }
        let elapsed = ContinuousClock.now - started
        running.store(false, ordering: .relaxed)
        group.wait()
        try outcome.get()
        if let error = failure.withLock({ $0 }) { throw error }
        let sorted = latencies.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { throw BenchmarkError("the writers made no update") }
        return Figures(
            writes: sorted.count, p99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)], slowest: sorted.last!,
            elapsed: elapsed)
    }
}
