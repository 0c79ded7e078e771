/// One problem a CI check found, at a place in a file: printed as `path:line: error: message`.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// The file, relative to the package root (`Sources/Hello/Greeter.swift`).
    public let file: String
    /// The 1-based line, or nil when the problem is about the whole file.
    public let line: Int?
    /// What is wrong and what to do about it.
    public let message: String

    /// Creates a finding.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `path:line: error: message`, the form compilers and editors read.
    public var description: String {
        "\(file):\(line.map { "\($0):" } ?? "") error: \(message)"
    }
}

/// The input of a check is wrong (a malformed fragment name, an unreadable deprecation message, a
/// missing `VERSION` file): the command's exit code 2. Every problem found is listed.
public struct CheckInputError: Error, Sendable, CustomStringConvertible {
    /// Each problem, with its file and line.
    public let findings: [Finding]

    /// Creates the error from at least one finding.
    public init(_ findings: [Finding]) {
        precondition(!findings.isEmpty, "an input error needs a finding")
        self.findings = findings
    }

    /// Creates the error from one problem.
    public init(file: String, line: Int? = nil, _ message: String) {
        self.init([Finding(file: file, line: line, message: message)])
    }

    /// One finding per line.
    public var description: String { findings.map(\.description).joined(separator: "\n") }
}
