import Foundation

/// What one run of the built `tandem` binary did.
struct TandemRun: CustomStringConvertible {
    /// The exit status.
    let status: Int32
    /// Everything it wrote to standard output.
    let output: String
    /// Everything it wrote to standard error.
    let errors: String

    var description: String { "exit \(status)\nstdout:\n\(output)\nstderr:\n\(errors)" }

    /// Standard output without the timings of `migrate`'s step lines
    /// (` in 0.12s; locks: 1 attempt, waited 0.00s`), which vary from run to run.
    var steps: String {
        output.replacing(/\ in \d+\.\d\ds; locks: \d+ attempts?, waited \d+\.\d\ds/, with: "")
    }
}

/// Runs the `tandem` binary that SwiftPM built next to the test bundle, the way a user would.
enum TandemProcess {
    /// The folder SwiftPM builds products into (`.build/debug`).
    static let productsDirectory: URL = {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent()
            }
        #endif
        return Bundle.main.bundleURL
    }()

    /// The binary under test.
    static let executable = productsDirectory.appendingPathComponent("tandem")

    /// Runs `tandem arguments…` (the binary under test, or `binary`) in `directory` with the
    /// test's environment, less `TANDEM_DATABASE_URL`, plus `environment`; `input`, if given, is
    /// its standard input.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], binary: URL? = nil, in directory: URL? = nil,
        input: String? = nil
    ) throws -> TandemRun {
        let executable = binary ?? executable
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: executable.path])
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files rather than pipes: nothing can block on a full pipe buffer.
        let outputURL = scratch.appendingPathComponent("stdout")
        let errorsURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorsURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorsURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["TANDEM_DATABASE_URL"] = nil
        process.environment = variables.merging(environment) { _, new in new }
        process.currentDirectoryURL = directory ?? scratch
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        if let inputPipe, let input {
            try inputPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try output.close()
        try errors.close()
        return TandemRun(
            status: process.terminationStatus,
            output: try String(contentsOf: outputURL, encoding: .utf8),
            errors: try String(contentsOf: errorsURL, encoding: .utf8))
    }
}

/// A fresh temporary folder, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}
