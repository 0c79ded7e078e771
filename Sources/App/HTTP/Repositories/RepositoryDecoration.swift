import Foundation
import TandemApp
import TandemDatabase
import TandemORM

extension ServingEnvironment {
    /// Rendered objects with the fields the API adds to some types: a repository's
    /// `versions_href` and `latest_version_href` (one query for the whole page).
    func decorated(_ objects: [[String: JSONValue]], of type: any Model.Type) async throws -> [[String: JSONValue]] {
        guard type.tableChain.contains(Repository.tableName) else { return objects }
        let keys = objects.map { object -> UUID? in
            guard case .string(let href)? = object["pulp_href"] else { return nil }
            return href.split(separator: "/").last.flatMap { UUID(uuidString: String($0)) }
        }
        let ids = keys.compactMap { $0 }
        let latest = try await database.withConnection { try RepositoryVersions.latestNumbers(of: ids, on: $0) }
        return zip(objects, keys).map { object, key in
            guard case .string(let href)? = object["pulp_href"] else { return object }
            var decorated = object
            decorated["versions_href"] = .string(href + "versions/")
            decorated["latest_version_href"] =
                key.flatMap { latest[$0] }.map { .string(href + "versions/\($0)/") } ?? .null
            return decorated
        }
    }

    /// One rendered object, decorated as ``decorated(_:of:)`` does.
    func decorated(_ object: [String: JSONValue], of type: any Model.Type) async throws -> [String: JSONValue] {
        try await decorated([object], of: type)[0]
    }

    /// Creates a value; a repository gets its empty version 0 in the same transaction.
    func create<M: Model>(_ value: M) async throws -> M {
        guard M.tableChain.contains(Repository.tableName) else {
            var created = value
            try await created.create(on: database)
            return created
        }
        return try await database.transaction { connection in
            var created = value
            try created.create(on: connection)
            guard case .string(let key)? = try ResourceCoding.flatObject(created)[M.primaryKey],
                let id = UUID(uuidString: key)
            else { preconditionFailure("a repository's key is a UUID") }
            try RepositoryVersions.createInitial(repositoryID: id, on: connection)
            return created
        }
    }
}
