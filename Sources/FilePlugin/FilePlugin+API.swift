import TandemApp
import TandemHTTP
import TandemORM

extension FileRemote: APIResource {}

extension FileRepository: APIResource {}

extension FileContent: APIResource {}

extension FilePlugin: APIPlugin {
    /// `remotes/file/file`, `repositories/file/file` (names unique) and the read-only
    /// `content/file/files`, newest first, as pulp_file serves them.
    public func registerAPI(in api: inout API) throws {
        let newestFirst = [Column("pulp_created").descending]
        let ordering = ["name", "pulp_created", "pulp_last_updated"]
        api.register(
            ViewSet<FileRemote>(
                "remotes/file/file", filters: [FilterField("name"), FilterField("url")], orderingFields: ordering,
                defaultOrdering: newestFirst, uniqueFields: ["name"]))
        api.register(
            ViewSet<FileRepository>(
                "repositories/file/file", filters: [FilterField("name")], orderingFields: ordering,
                defaultOrdering: newestFirst, uniqueFields: ["name"]))
        api.register(
            ViewSet<FileContent>(
                "content/file/files", filters: [FilterField("relative_path"), FilterField("digest")],
                orderingFields: ["relative_path", "pulp_created"], defaultOrdering: newestFirst, readOnly: true))
    }

    /// `file/health/`: the plugin's release and how many remotes, repositories and files it
    /// holds, for load balancers and monitoring (no authentication, like the status endpoint).
    public var routes: [PluginRoute] {
        [
            PluginRoute(
                "file/health/", requiresAuthentication: false,
                summary: "the file plugin's release and how many remotes, repositories and files it holds"
            ) { request in
                let database = request.database
                let remotes = try await FileRemote.query(on: database).count()
                let repositories = try await FileRepository.query(on: database).count()
                let files = try await FileContent.query(on: database).count()
                return .json([
                    "plugin": .string(label), "version": .string(version.description),
                    "remotes": .integer(Int64(remotes)), "repositories": .integer(Int64(repositories)),
                    "files": .integer(Int64(files)),
                ])
            }
        ]
    }
}
