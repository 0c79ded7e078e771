import TandemApp
import TandemORM

/// A repository of files: a detail of core's `Repository`, `pulp_type` `file.file`,
/// table `file_filerepository`.
public struct FileRepository: DetailModel, Equatable {
    /// `file_filerepository`.
    public static let tableName = "file_filerepository"
    /// `file`.
    public static let appLabel = "file"
    /// `file`: `pulp_type` `file.file` (unique under its master only).
    public static let typeName = "file"

    /// The master's fields.
    public var parent: Repository
    /// Whether every new version is published at once.
    public var autopublish: Bool
    /// The name of the manifest a publication writes; none when nil.
    public var manifest: String?

    /// A file repository; publications write `PULP_MANIFEST` unless told otherwise.
    public init(parent: Repository, autopublish: Bool = false, manifest: String? = "PULP_MANIFEST") {
        self.parent = parent
        self.autopublish = autopublish
        self.manifest = manifest
    }

    /// The API's defaults: no autopublishing, publications write `PULP_MANIFEST`.
    public static var serializerDefaults: [String: JSONValue] {
        ["autopublish": .bool(false), "manifest": .string("PULP_MANIFEST")]
    }

    /// A manifest name, when given, that is a plain file name.
    public func validate(_ errors: inout ValidationErrors) {
        if let manifest, manifest.isEmpty || manifest.contains("/") {
            errors.add(LocalizableMessage.fileName, field: "manifest")
        }
    }
}
