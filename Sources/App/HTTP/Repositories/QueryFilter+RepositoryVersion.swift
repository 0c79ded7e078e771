import Foundation
import TandemApp
import TandemDatabase
import TandemORM

extension QueryFilter {
    /// Pulp's content filters by repository version: `repository_version` (the content a version
    /// holds), `repository_version_added` and `repository_version_removed` (what it changed).
    /// Each takes a version's href; an href that names no version selects nothing, one that is
    /// not a version href is a 400.
    public static var repositoryVersionFilters: [QueryFilter] {
        [
            QueryFilter("repository_version", description: "Content in this repository version (href)") {
                value, database in
                let ids = try await versionContent(value, field: "repository_version", database) {
                    version, connection in
                    try RepositoryVersions.contentIDs(of: version.repositoryID, number: version.number, on: connection)
                }
                return Column("pulp_id").in(ids)
            },
            QueryFilter("repository_version_added", description: "Content added by this repository version (href)") {
                value, database in
                Column("pulp_id").in(
                    try await versionContent(value, field: "repository_version_added", database) {
                        version, connection in
                        try memberships(of: version, column: "version_added_id", on: connection)
                    })
            },
            QueryFilter(
                "repository_version_removed", description: "Content removed by this repository version (href)"
            ) { value, database in
                Column("pulp_id").in(
                    try await versionContent(value, field: "repository_version_removed", database) {
                        version, connection in
                        try memberships(of: version, column: "version_removed_id", on: connection)
                    })
            },
        ]
    }

    private static func versionContent(
        _ value: String, field: String, _ database: Database,
        _ read: @escaping @Sendable (RepositoryVersion, Connection) throws -> [UUID]
    ) async throws -> [UUID] {
        guard let href = RepositoryVersionHref(value) else {
            throw APIError.invalid("Enter a repository version href.", field: field)
        }
        return try await database.withConnection { connection in
            guard
                let version = try RepositoryVersions.version(of: href.repositoryID, number: href.number, on: connection)
            else { return [] }
            return try read(version, connection)
        }
    }

    private static func memberships(of version: RepositoryVersion, column: String, on connection: Connection) throws
        -> [UUID]
    {
        try RepositoryContent.query(on: connection).filter(Column(column) == version.pulpID).all().map(\.contentID)
    }
}
