import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The core plugin's migration that creates the users table.
let usersMigration = "core/0004_users"

/// The built `tandem` binary, next to the test bundle.
let tandemExecutable = Bundle.main.bundleURL.appendingPathComponent("tandem")

/// One run of `tandem` started by a test: output to files, so nothing blocks on a full pipe.
final class TandemChild: @unchecked Sendable {
    // Only the test that started it touches it, one call at a time.
    let process = Process()
    let folder: URL

    init(_ arguments: [String], stdin: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] { try Data().write(to: folder.appendingPathComponent(name)) }
        process.executableURL = tandemExecutable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TANDEM_DATABASE_URL"] = nil
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("stderr"))
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: folder)
    }

    var output: String { (try? String(contentsOf: folder.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Waits for the process to end and returns its status.
    func wait(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw ChildTimeout(what: "exit", output: output, errors: errors) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Waits for `tandem serve`'s "listening on" line and returns the base URL it names.
    func listeningURL(timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                let range = line.range(of: "http://")
            {
                let rest = line[range.upperBound...]
                return "http://" + rest.prefix { $0 != "/" }
            }
            guard process.isRunning else { throw ChildTimeout(what: "listening (it exited)", output: output, errors: errors) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ChildTimeout(what: "listening", output: output, errors: errors)
    }

    /// Runs `tandem` to its end.
    static func run(_ arguments: [String], stdin: String? = nil) async throws -> (status: Int32, output: String, errors: String) {
        let child = try TandemChild(arguments, stdin: stdin)
        let status = try await child.wait()
        return (status, child.output, child.errors)
    }
}

struct ChildTimeout: Error, CustomStringConvertible {
    let what: String
    let output: String
    let errors: String
    var description: String { "timed out waiting for \(what)\nstdout:\n\(output)\nstderr:\n\(errors)" }
}

/// A request to a live server.
func httpRequest(
    _ method: String, _ url: String, body: String? = nil, user: (String, String)? = nil
) async throws -> (status: Int, headers: [String: String], body: Data) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    if let body {
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    if let (name, password) = user {
        request.setValue("Basic " + Data("\(name):\(password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var headers: [String: String] = [:]
    for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
    return (http.statusCode, headers, data)
}
