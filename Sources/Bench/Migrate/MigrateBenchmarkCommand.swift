import ArgumentParser
import Foundation
import TandemDatabase

/// `tandem-bench migrate`: a `tandem migrate` with nothing to do, against the process start-up alone.
struct MigrateBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Time a no-op `tandem migrate` over N applied migrations against `tandem --version`.",
        discussion: """
            Generates N small migrations in a temporary folder, applies them with the `tandem` binary built \
            next to tandem-bench (build both first: `swift build -c release`), then runs a no-op \
            `tandem migrate` and `tandem --version` alternately, --runs times each. Prints the medians and \
            their ratio, the no-op run's time over the start-up alone (target: at most 2). Without \
            --database the migrations go to a SQLite file in the temporary folder; on PostgreSQL they go \
            to a scratch schema, dropped afterwards.
            """
    )

    @Option(help: "Database URL (postgres://…, sqlite:path). Default: a SQLite file in a temporary folder.")
    var database: String?

    @Option(help: "How many migrations to generate.")
    var count = 200

    @Option(help: "How many timed runs of each command.")
    var runs = 15

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard count > 0, runs > 0 else { throw ValidationError("--count and --runs must be positive") }
    }

    func run() throws {
        let tandem = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("tandem")
        guard FileManager.default.isExecutableFile(atPath: tandem.path) else {
            throw ValidationError("no tandem binary at \(tandem.path): build it first (swift build -c release)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let migrations = folder.appendingPathComponent("migrations").path
        try MigrationGenerator.write(count: count, into: migrations)
        let scratch = try ScratchDatabase(flag: database, folder: folder)
        defer { scratch.drop() }

        let arguments = ["migrate", "--migrations", migrations, "--database", scratch.url]
        let applyTime = try Self.time(tandem, arguments, expecting: "\(count) migration(s) applied.")
        var noOp: [Double] = []
        var startUp: [Double] = []
        for _ in 0..<runs {
            noOp.append(try Self.time(tandem, arguments, expecting: "Nothing to apply"))
            startUp.append(try Self.time(tandem, ["--version"], expecting: ""))
        }
        let result = MigrateBenchmarkResult(
            migrations: count, dialect: scratch.dialect.rawValue, applySeconds: applyTime,
            noOpSeconds: Self.median(noOp), startUpSeconds: Self.median(startUp))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("tandem-bench migrate: \(scratch.dialect), \(count) migrations, median of \(runs) runs")
            print(String(format: "apply all          %8.1f ms (once)", applyTime * 1000))
            print(String(format: "no-op migrate      %8.1f ms", result.noOpSeconds * 1000))
            print(String(format: "tandem --version   %8.1f ms", result.startUpSeconds * 1000))
            print(String(format: "ratio              %8.2f (no-op migrate / start-up; target <= 2)", result.ratio))
        }
    }

    /// Runs the binary once and returns the wall-clock seconds; its output must contain `expecting`.
    private static func time(_ executable: URL, _ arguments: [String], expecting: String) throws -> Double {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let seconds = try measure {
            try process.run()
            process.waitUntilExit()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0, expecting.isEmpty || text.contains(expecting) else {
            throw ValidationError(
                "tandem \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return seconds
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// The figures of one run.
struct MigrateBenchmarkResult: Encodable {
    let migrations: Int
    let dialect: String
    let applySeconds: Double
    let noOpSeconds: Double
    let startUpSeconds: Double

    /// The no-op run's time over the start-up's.
    var ratio: Double { noOpSeconds / startUpSeconds }

    enum CodingKeys: String, CodingKey {
        case migrations, dialect, applySeconds = "apply_s", noOpSeconds = "noop_s", startUpSeconds = "startup_s", ratio
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(migrations, forKey: .migrations)
        try container.encode(dialect, forKey: .dialect)
        try container.encode(applySeconds, forKey: .applySeconds)
        try container.encode(noOpSeconds, forKey: .noOpSeconds)
        try container.encode(startUpSeconds, forKey: .startUpSeconds)
        try container.encode((ratio * 1000).rounded() / 1000, forKey: .ratio)
    }
}
