/// A `PULP_MANIFEST`: one line per file, `relative_path,sha256,size`, as pulp_file publishes it.
///
/// ```swift
/// let manifest = try Manifest(parsing: "a/b.txt,9f86d0…,4\n")
/// manifest.entries[0].relativePath   // "a/b.txt"
/// ```
public struct Manifest: Sendable, Equatable {
    /// One listed file.
    public struct Entry: Sendable, Equatable {
        /// Where the file is served, relative to the distribution's base path.
        public let relativePath: String
        /// Its SHA-256, 64 lowercase hexadecimal digits.
        public let digest: String
        /// Its size in bytes.
        public let size: Int64
        /// The line of the manifest it came from, from 1.
        public let line: Int
    }

    /// The files, in the manifest's order.
    public let entries: [Entry]

    /// Parses a manifest's text; blank lines are skipped, `\r\n` line ends accepted.
    ///
    /// - Throws: ``ManifestError`` for the first invalid line, naming its number and what is
    ///   wrong (never the line's text, which comes from a remote server).
    public init(parsing text: String) throws(ManifestError) {
        var entries: [Entry] = []
        var firstLineOfPath: [String: Int] = [:]
        var number = 0
        // Swift reads `\r\n` as one Character, a newline like `\n`.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw ManifestError(
                    line: number,
                    message: "expected 3 comma-separated fields (relative_path,sha256,size), found \(fields.count)")
            }
            let path = String(fields[0])
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !parts.contains(""),
                !path.contains(where: { $0.isNewline || $0 == "\0" })
            else {
                throw ManifestError(
                    line: number, message: "the relative path must be relative, without empty or .. parts")
            }
            let digest = fields[1].lowercased()
            guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
                throw ManifestError(line: number, message: "the digest is not a SHA-256 (64 hexadecimal digits)")
            }
            guard let size = Int64(fields[2]), size >= 0 else {
                throw ManifestError(line: number, message: "the size is not a non-negative integer")
            }
            if let first = firstLineOfPath[path] {
                throw ManifestError(line: number, message: "the relative path is listed already, on line \(first)")
            }
            firstLineOfPath[path] = number
            entries.append(Entry(relativePath: path, digest: digest, size: size, line: number))
        }
        self.entries = entries
    }
}

/// A `PULP_MANIFEST` line is invalid.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line's number, from 1.
    public let line: Int
    /// What is wrong with it.
    public let message: String

    /// The error for line `line`.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    /// `PULP_MANIFEST line 3: the digest is not a SHA-256 (64 hexadecimal digits)`.
    public var description: String { "PULP_MANIFEST line \(line): \(message)" }
}
