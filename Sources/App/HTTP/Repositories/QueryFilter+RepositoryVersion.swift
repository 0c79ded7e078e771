import Foundation
import TandemApp
import TandemDatabase
import TandemORM

extension QueryFilter {
    /// Pulp's content filters by repository version: `repository_version` (the content a version
    /// holds), `repository_version_added` and `repository_version_removed` (what it changed).
    /// Each takes a version's href; an href that names no version selects nothing, one that is
    /// not a version href is a 400. The content is selected by a subquery, so a version of any
    /// size costs the same few bound values.
    public static var repositoryVersionFilters: [QueryFilter] {
        [
            QueryFilter("repository_version", description: "Content in this repository version (href)") {
                value, database in
                try await versionContent(value, field: "repository_version", database) {
                    RepositoryVersions.contentIDsQuery(of: $0.repositoryID, number: $0.number)
                }
            },
            QueryFilter("repository_version_added", description: "Content added by this repository version (href)") {
                value, database in
                try await versionContent(value, field: "repository_version_added", database) {
                    RepositoryVersions.contentIDsQuery(addedBy: $0)
                }
            },
            QueryFilter(
                "repository_version_removed", description: "Content removed by this repository version (href)"
            ) { value, database in
                try await versionContent(value, field: "repository_version_removed", database) {
                    RepositoryVersions.contentIDsQuery(removedBy: $0)
                }
            },
        ]
    }

    /// `pulp_id IN (subquery)` for the version `value` names, or a condition that selects nothing
    /// when it names no version.
    private static func versionContent(
        _ value: String, field: String, _ database: Database, _ subquery: (RepositoryVersion) -> SQLFragment
    ) async throws -> SQLExpression {
        guard let href = RepositoryVersionHref(value) else {
            throw APIError.invalid("Enter a repository version href.", field: field)
        }
        let version = try await database.withConnection { connection in
            try RepositoryVersions.version(of: href.repositoryID, number: href.number, on: connection)
        }
        guard let version else { return Column("pulp_id").in([UUID]()) }
        return Column("pulp_id").in(subquery(version))
    }
}
