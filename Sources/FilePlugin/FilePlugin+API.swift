import TandemApp
import TandemHTTP
import TandemORM

extension FileRemote: APIResource {}

extension FileRepository: APIResource {}

extension FileContent: APIResource {}

extension FilePlugin: APIPlugin {
    /// `remotes/file/file`, `repositories/file/file` (names unique; updates and deletes as tasks),
    /// the read-only `content/file/files` (also by repository version), newest first, and the
    /// repositories' versions and sync (`file.tasks.synchronize`), as pulp_file serves them.
    public func registerAPI(in api: inout API) throws {
        let newestFirst = [Column("pulp_created").descending]
        let ordering = ["name", "pulp_created", "pulp_last_updated"]
        // Updates and deletes of remotes and repositories run as tasks, as in Pulp.
        var remotes = ViewSet<FileRemote>(
            "remotes/file/file", filters: [FilterField("name"), FilterField("url")], orderingFields: ordering,
            defaultOrdering: newestFirst, uniqueFields: ["name"])
        remotes.changesRunAsTasks = true
        api.register(remotes)
        var repositories = ViewSet<FileRepository>(
            "repositories/file/file", filters: [FilterField("name")], orderingFields: ordering,
            defaultOrdering: newestFirst, uniqueFields: ["name"])
        repositories.changesRunAsTasks = true
        api.register(repositories)
        var files = ViewSet<FileContent>(
            "content/file/files", filters: [FilterField("relative_path"), FilterField("digest")],
            orderingFields: ["relative_path", "pulp_created"], defaultOrdering: newestFirst, readOnly: true)
        files.queryFilters = QueryFilter.repositoryVersionFilters
        api.register(files)
        api.register(
            RepositoryVersionRoutes(
                repositoryPath: "repositories/file/file", remotePath: "remotes/file/file",
                contentPath: "content/file/files", syncTask: Self.synchronizeTask))
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
