import Foundation
import Synchronization

/// A `tandem worker` process started by a drill, with its output in files.
final class WorkerProcessHandle: Sendable {
    /// The built binary, next to the test bundle.
    static let executable = Bundle.main.bundleURL.appendingPathComponent("tandem")

    private let process: Process
    private let folder: URL
    private let exit = ExitStatusBox()

    /// Starts `tandem arguments…` with `TANDEM_DATABASE_URL` set to `url`.
    init(_ arguments: [String], url: String, environment: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-drill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("output")
        try Data().write(to: output)
        let handle = try FileHandle(forWritingTo: output)
        process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["TANDEM_DATABASE_URL"] = url
        variables["TANDEM_WORKING_DIRECTORY"] = folder.appendingPathComponent("work").path
        process.environment = variables.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        let exit = self.exit
        process.terminationHandler = { ended in exit.status.withLock { $0 = ended.terminationStatus } }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The supervisor's pid.
    var pid: Int32 { process.processIdentifier }

    /// Sends a signal to the supervisor.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// What it printed so far.
    var output: String {
        (try? String(contentsOf: folder.appendingPathComponent("output"), encoding: .utf8)) ?? ""
    }

    /// Waits for the exit status, at most `limit`; nil when it is still running.
    func waitForExit(_ limit: Duration = .seconds(20)) async throws -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if let status = exit.status.withLock({ $0 }) { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        return exit.status.withLock { $0 }
    }
}

/// Where the termination handler leaves the exit status.
final class ExitStatusBox: Sendable {
    let status = Mutex<Int32?>(nil)
}
