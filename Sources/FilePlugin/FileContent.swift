import TandemApp
import TandemORM

/// One file at a path: a detail of core's `Content`, `pulp_type` `file.file`, table
/// `file_filecontent`. The pair (path, digest) is unique.
public struct FileContent: DetailModel, Equatable {
    /// `file_filecontent`.
    public static let tableName = "file_filecontent"
    /// `file`.
    public static let appLabel = "file"
    /// `file`: `pulp_type` `file.file`.
    public static let typeName = "file"

    /// The master's fields.
    public var parent: Content
    /// Where the file is served, relative to the distribution's base path.
    public var relativePath: String
    /// The file's SHA-256, 64 lowercase hexadecimal digits.
    public var digest: String

    /// A file with its path and SHA-256.
    public init(parent: Content = Content(), relativePath: String, digest: String) {
        self.parent = parent
        self.relativePath = relativePath
        self.digest = digest
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case parent, relativePath = "relative_path", digest
    }

    /// A relative path that stays below the base path, and a SHA-256 digest.
    public func validate(_ errors: inout ValidationErrors) {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        if relativePath.isEmpty || relativePath.hasPrefix("/") || parts.contains("..") || parts.contains("") {
            errors.add("must be a relative path without empty or .. parts", field: "relative_path")
        }
        if digest.count != 64 || !digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            errors.add("must be a SHA-256: 64 lowercase hexadecimal digits", field: "digest")
        }
    }
}
