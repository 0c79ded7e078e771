import Foundation

/// What one run of the built `tandem` binary did.
struct TandemRun: CustomStringConvertible {
    /// The exit status.
    let status: Int32
    /// Standard output.
    let output: String
    /// Standard error.
    let errors: String

    var description: String { "exit \(status)\nstdout:\n\(output)\nstderr:\n\(errors)" }
}

/// A scratch copy of the fixture plugin package (`Fixtures/HelloPlugin`), which a test changes
/// and checks with the real `tandem` binary; removed when the test ends.
final class FixturePackage {
    /// The copy's root.
    let root: URL

    /// The fixture in the source tree.
    static let original = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "Fixtures/HelloPlugin")
    /// The repository's root (Tandem itself).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "../..").standardized

    /// The `tandem` binary SwiftPM built next to the test bundle.
    static let executable: URL = {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent().appending(path: "tandem")
            }
        #endif
        return Bundle.main.bundleURL.appending(path: "tandem")
    }()

    /// Copies the fixture (or `source`'s listed entries) into a fresh folder.
    init(copying source: URL = FixturePackage.original, entries: [String]? = nil) throws {
        root = FileManager.default.temporaryDirectory.appending(path: "tandem-citools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for entry in try entries ?? FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appending(path: entry), to: root.appending(path: entry))
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `text` to `path` (relative to the root), creating folders.
    func write(_ path: String, _ text: String) throws {
        let url = root.appending(path: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The text of `path`, or nil when it does not exist.
    func read(_ path: String) -> String? {
        try? String(contentsOf: root.appending(path: path), encoding: .utf8)
    }

    /// Removes `path`.
    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appending(path: path))
    }

    /// A `Package.resolved` (format 3) pinning each identity to a version.
    func writeResolved(_ versions: [String: String]) throws {
        let pins = versions.sorted { $0.key < $1.key }.map { identity, version in
            """
                {
                  "identity" : "\(identity)",
                  "kind" : "remoteSourceControl",
                  "location" : "https://github.com/example/\(identity)",
                  "state" : { "revision" : "0000000000000000000000000000000000000000", "version" : "\(version)" }
                }
            """
        }
        try write(
            "Package.resolved", "{\n  \"pins\" : [\n\(pins.joined(separator: ",\n"))\n  ],\n  \"version\" : 3\n}\n")
    }

    /// Runs `tandem arguments…` in the copy.
    func run(_ arguments: [String]) throws -> TandemRun {
        try Self.run(arguments, in: root)
    }

    /// Runs `tandem arguments…` in `directory`.
    static func run(_ arguments: [String], in directory: URL) throws -> TandemRun {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "tandem-citools-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files rather than pipes: nothing can block on a full pipe buffer.
        let outputURL = scratch.appending(path: "stdout")
        let errorsURL = scratch.appending(path: "stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorsURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorsURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        try output.close()
        try errors.close()
        return TandemRun(
            status: process.terminationStatus,
            output: try String(contentsOf: outputURL, encoding: .utf8),
            errors: try String(contentsOf: errorsURL, encoding: .utf8))
    }
}
