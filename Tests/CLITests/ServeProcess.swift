import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A `tandem serve` child process. ``with(_:environment:in:_:)`` kills it (SIGKILL) whatever
/// the test does, so a server that never stops cannot hang the suite.
final class ServeProcess {
    /// How long a test waits for the server to listen or to exit; generous, the machine is shared.
    static let patience: Duration = .seconds(90)

    private let process: Process
    private let outputURL: URL
    private let errorsURL: URL

    private init(process: Process, outputURL: URL, errorsURL: URL) {
        self.process = process
        self.outputURL = outputURL
        self.errorsURL = errorsURL
    }

    /// Runs `tandem arguments…` for `body`, then kills it if it still runs.
    static func with<T>(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
        _ body: (ServeProcess) async throws -> T
    ) async throws -> T {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputURL = scratch.appendingPathComponent("stdout")
        let errorsURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorsURL)
        let process = Process()
        process.executableURL = TandemProcess.executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["TANDEM_DATABASE_URL"] = nil
        process.environment = variables.merging(environment) { _, new in new }
        process.currentDirectoryURL = directory ?? scratch
        process.standardInput = FileHandle.nullDevice
        // Files rather than pipes: nothing can block on a full pipe buffer.
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorsURL)
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The child has its own descriptors now.
        try output.close()
        try errors.close()
        let serve = ServeProcess(process: process, outputURL: outputURL, errorsURL: errorsURL)
        defer { serve.killIfRunning() }
        return try await body(serve)
    }

    /// Everything written to standard output so far.
    var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
    /// Everything written to standard error so far.
    var errors: String { (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? "" }

    /// The URL of the API's v3 root from the `listening on` line, once it is printed.
    /// - Throws: ``ServeProcessError`` when the process exits first or takes too long.
    func listening() async throws -> URL {
        let deadline = ContinuousClock.now + Self.patience
        while ContinuousClock.now < deadline {
            if let match = output.firstMatch(of: /listening on (http:\/\/\S+)/), let url = URL(string: String(match.1))
            {
                return url
            }
            guard process.isRunning else {
                throw ServeProcessError(what: "exited \(process.terminationStatus)", serve: self)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServeProcessError(what: "did not listen within \(Self.patience)", serve: self)
    }

    /// Waits for the process to end by itself and returns its exit status.
    /// - Throws: ``ServeProcessError`` when it still runs after ``patience``.
    func exitStatus() async throws -> Int32 {
        let deadline = ContinuousClock.now + Self.patience
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw ServeProcessError(what: "still running after \(Self.patience)", serve: self)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() async throws -> Int32 {
        process.terminate()
        return try await exitStatus()
    }

    /// Sends SIGTERM and returns at once.
    func askToStop() {
        process.terminate()
    }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// SIGKILL, if it still runs, and reap it.
    func killIfRunning() {
        guard process.isRunning else { return }
        _ = kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A `tandem serve` child did not do what the test waited for.
struct ServeProcessError: Error, CustomStringConvertible {
    let what: String
    let output: String
    let errors: String

    init(what: String, serve: ServeProcess) {
        self.what = what
        output = serve.output
        errors = serve.errors
    }

    var description: String { "tandem serve \(what)\nstdout:\n\(output)\nstderr:\n\(errors)" }
}

/// A TCP port nothing listens on right now (the kernel's pick for a socket bound to port 0).
func freeLoopbackPort() throws -> Int {
    #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// GETs `url` and returns the status and body.
func httpGet(_ url: URL) async throws -> (status: Int, body: String) {
    try await httpResponse(to: URLRequest(url: url))
}

/// Sends `method` to `url` with a JSON `body` as `user` (name and password, HTTP Basic) and
/// returns the status and body.
func httpSend(
    _ method: String, _ url: URL, json body: String, as user: (name: String, password: String)
) async throws -> (status: Int, body: String) {
    var request = URLRequest(url: url)
    request.httpMethod = method
    request.httpBody = Data(body.utf8)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue(
        "Basic " + Data("\(user.name):\(user.password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization"
    )
    return try await httpResponse(to: request)
}

/// Sends `request` and returns the status and body.
private func httpResponse(to request: URLRequest) async throws -> (status: Int, body: String) {
    try await withCheckedThrowingContinuation { continuation in
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                continuation.resume(throwing: error)
            } else {
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                continuation.resume(returning: (status, String(decoding: data ?? Data(), as: UTF8.self)))
            }
        }.resume()
    }
}

/// A fresh temporary folder for an asynchronous test, removed when `body` returns.
func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}
