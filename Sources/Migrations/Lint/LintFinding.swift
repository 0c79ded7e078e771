/// One problem `tandem lint` reports: an error (the files cannot run) or a warning (a risky step).
public struct LintFinding: Sendable, Hashable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The files are refused: exit code 2, and `migrate` runs nothing.
        case error
        /// A risky step that may be meant: reported, exit code 0.
        case warning

        /// Errors first.
        public static func < (left: Severity, right: Severity) -> Bool {
            left == .error && right == .warning
        }
    }

    /// Error or warning.
    public let severity: Severity
    /// The file.
    public let path: String
    /// The 1-based line, when the finding has one.
    public let line: Int?
    /// What is wrong, naming the key or operation.
    public let message: String

    /// Creates a finding.
    public init(_ severity: Severity, path: String, line: Int?, message: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.message = message
    }

    /// An error from a file problem the loader found.
    public init(_ error: MigrationFileError) {
        self.init(.error, path: error.path, line: error.line, message: error.message)
    }

    /// `path:line: error: message`, the form compilers print and editors and CI annotate.
    public var description: String {
        (line.map { "\(path):\($0)" } ?? path) + ": \(severity.rawValue): \(message)"
    }
}

/// What a lint run found, and the migrations when they loaded.
public struct LintReport: Sendable, Hashable {
    /// The loaded migrations; nil when a file could not be loaded.
    public let set: MigrationSet?
    /// Every finding, by file and line.
    public let findings: [LintFinding]

    /// Creates a report.
    public init(set: MigrationSet?, findings: [LintFinding]) {
        self.set = set
        self.findings = findings
    }

    /// The errors.
    public var errors: [LintFinding] { findings.filter { $0.severity == .error } }
    /// The warnings.
    public var warnings: [LintFinding] { findings.filter { $0.severity == .warning } }
    /// Whether any finding is an error.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}
