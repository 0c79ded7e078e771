import ArgumentParser

/// `tandem-bench`: benchmarks that measure Tandem against hand-written driver code or plain SQL
/// in the same process, and print ratios that survive a noisy machine.
@main
struct TandemBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem-bench",
        abstract: "Benchmarks Tandem against raw libpq / sqlite3 code and plain SQL in the same run.",
        subcommands: [
            ORMBenchmarkCommand.self, MigrateBenchmarkCommand.self, TriggersBenchmarkCommand.self,
            BackfillBenchmarkCommand.self, LocksBenchmarkCommand.self, TasksBenchmarkCommand.self,
            APIBenchmarkCommand.self,
        ]
    )
}
