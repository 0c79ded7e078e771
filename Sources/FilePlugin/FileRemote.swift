import TandemApp
import TandemORM

/// A remote that fetches a `PULP_MANIFEST` and the files it lists: a detail of core's
/// `Remote`, `pulp_type` `file.file`, table `file_fileremote`.
///
/// ```swift
/// var remote = FileRemote(parent: Remote(name: "isos", url: "https://example.com/isos/PULP_MANIFEST"))
/// try await remote.create(on: database)        // one transaction: core_remote, then file_fileremote
/// ```
public struct FileRemote: DetailModel, Equatable {
    /// `file_fileremote`.
    public static let tableName = "file_fileremote"
    /// `file`.
    public static let appLabel = "file"
    /// `file`: `pulp_type` `file.file`.
    public static let typeName = "file"

    /// The master's fields.
    public var parent: Remote

    /// A file remote with these master fields.
    public init(parent: Remote) {
        self.parent = parent
    }

    /// The master's defaults: the API reads a detail's master fields from the same object.
    public static var serializerDefaults: [String: JSONValue] { Remote.serializerDefaults }
}
