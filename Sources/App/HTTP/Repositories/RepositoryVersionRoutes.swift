import Foundation
import HTTPTypes
import Hummingbird
import TandemApp
import TandemDatabase
import TandemORM
import TandemTasks

/// A repository viewset's versions and sync, as Pulp serves them:
/// `{repository_href}versions/` (complete versions, newest first), `{repository_href}versions/<n>/`,
/// and `POST {repository_href}sync/` with `{"remote": href, "mirror": bool}`, which dispatches the
/// plugin's sync task (deferred, to workers) with the repository reserved exclusively and the
/// remote shared, and answers 202 `{"task": href}`.
///
/// The sync task takes `{"remote": uuid, "repository": uuid, "mirror": bool}`.
///
/// ```swift
/// api.register(RepositoryVersionRoutes(
///     repositoryPath: "repositories/file/file", remotePath: "remotes/file/file",
///     contentPath: "content/file/files", syncTask: "file.tasks.synchronize"))
/// ```
public struct RepositoryVersionRoutes: Sendable {
    /// The repository viewset's path: `repositories/file/file`.
    public let repositoryPath: String
    /// The remotes a sync reads from: `remotes/file/file`.
    public let remotePath: String
    /// Where a version's content is listed (`content/file/files`, with `repository_version`).
    public let contentPath: String
    /// The task a sync dispatches.
    public let syncTask: String

    /// Versions and sync for the repositories at `repositoryPath`.
    public init(repositoryPath: String, remotePath: String, contentPath: String, syncTask: String) {
        func trimmed(_ path: String) -> String { path.split(separator: "/").joined(separator: "/") }
        self.repositoryPath = trimmed(repositoryPath)
        self.remotePath = trimmed(remotePath)
        self.contentPath = trimmed(contentPath)
        self.syncTask = syncTask
    }

    /// `repositories/file/file` → `repositories_file_file`, the prefix of Pulp's operation ids.
    var operationPrefix: String { repositoryPath.replacingOccurrences(of: "/", with: "_") }

    /// Adds the routes.
    func add(
        to router: Router<APIRequestContext>, environment: ServingEnvironment, queue: TaskQueue?, bodyLimit: Int
    ) {
        let base = environment.apiBase + repositoryPath + "/"
        API.on(router, RouterPath(base + ":key/versions/"), allowed: [.get]) { request, context in
            let key = context.parameters.get("key") ?? ""
            return JSONResponse.make(try await listVersions(of: key, request: request, in: environment))
        }
        API.on(router, RouterPath(base + ":key/versions/:number/"), allowed: [.get]) { _, context in
            let key = context.parameters.get("key") ?? ""
            guard let number = Int(context.parameters.get("number") ?? ""), number >= 0 else { throw APIError.notFound }
            let id = try await repositoryID(key, in: environment)
            let version = try await environment.database.withConnection {
                try RepositoryVersions.version(of: id, number: number, on: $0)
            }
            guard let version else { throw APIError.notFound }
            return JSONResponse.make(try await render(version, in: environment))
        }
        API.on(router, RouterPath(base + ":key/sync/"), allowed: [.post]) { request, context in
            guard let queue else { throw APIError(.serviceUnavailable, detail: "This server runs no tasks.") }
            let key = context.parameters.get("key") ?? ""
            let body = try await API.jsonBody(request, limit: bodyLimit)
            return try await sync(key, body: body, queue: queue, in: environment)
        }
    }

    /// The repository's id, or 404 when no repository of this path has this key.
    private func repositoryID(_ key: String, in environment: ServingEnvironment) async throws -> UUID {
        guard let id = UUID(uuidString: key), let table = environment.tables[repositoryPath] else {
            throw APIError.notFound
        }
        let exists = try await environment.database.withConnection { connection in
            try !connection.query(
                "SELECT 1 FROM \(quoteIdentifier(table)) WHERE pulp_id = \(connection.dialect.placeholder(1))",
                [.uuid(id)]
            ).isEmpty
        }
        guard exists else { throw APIError.notFound }
        return id
    }

    private func listVersions(of key: String, request: Request, in environment: ServingEnvironment) async throws
        -> JSONValue
    {
        let list = try ListRequest(
            QueryParameters(request.uri.query), filters: [], orderingFields: [],
            defaultLimit: environment.defaultLimit, maximumLimit: environment.maximumLimit)
        let id = try await repositoryID(key, in: environment)
        let (count, versions) = try await environment.database.withConnection {
            try RepositoryVersions.versions(of: id, limit: list.limit, offset: list.offset, on: $0)
        }
        var results: [JSONValue] = []
        for version in versions {
            guard case .object(let object) = try await render(version, in: environment) else { continue }
            results.append(.object(list.shape(object)))
        }
        let baseURL = "http://\(request.head.authority ?? "localhost")\(request.uri.path)"
        return page(count: count, results: results, request: list, baseURL: baseURL, parameters: request.uri.query)
    }

    /// A version as Pulp shows it, with its `content_summary`.
    private func render(_ version: RepositoryVersion, in environment: ServingEnvironment) async throws -> JSONValue {
        let repositoryHref = environment.apiBase + repositoryPath + "/\(version.repositoryID.uuidString.lowercased())/"
        let href = repositoryHref + "versions/\(version.number)/"
        let (summary, baseNumber) = try await environment.database.withConnection { connection in
            let summary = try RepositoryVersions.contentSummary(of: version, on: connection)
            let base = try version.baseVersionID.flatMap {
                try RepositoryVersion.query(on: connection).filter(Column("pulp_id") == $0).first()?.number
            }
            return (summary, base)
        }
        func counts(_ counts: [String: Int], filter: String) -> JSONValue {
            .object(
                counts.mapValues { count in
                    .object([
                        "count": .integer(Int64(count)),
                        "href": .string(environment.apiBase + contentPath + "/?\(filter)=\(href)"),
                    ])
                })
        }
        let time = { (date: Date) in
            JSONValue.string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return .object([
            "pulp_href": .string(href),
            "prn": .string("prn:core.repositoryversion:\(version.pulpID.uuidString.lowercased())"),
            "pulp_created": time(version.pulpCreated),
            "pulp_last_updated": time(version.pulpLastUpdated ?? version.pulpCreated),
            "number": .integer(Int64(version.number)),
            "repository": .string(repositoryHref),
            "base_version": baseNumber.map { .string(repositoryHref + "versions/\($0)/") } ?? .null,
            "content_summary": .object([
                "added": counts(summary.added, filter: "repository_version_added"),
                "removed": counts(summary.removed, filter: "repository_version_removed"),
                "present": counts(summary.present, filter: "repository_version"),
            ]),
        ])
    }

    /// `POST {repository_href}sync/`: every invalid field at once (400), else the task (202).
    private func sync(_ key: String, body: JSONValue, queue: TaskQueue, in environment: ServingEnvironment)
        async throws -> Response
    {
        let repository = try await repositoryID(key, in: environment)
        guard case .object(let fields) = body else {
            throw APIError.invalid(
                "Invalid data. Expected a dictionary, but got \(body.kindName).", field: "non_field_errors")
        }
        var errors = ValidationErrors()
        for field in fields.keys.sorted() where !["remote", "mirror"].contains(field) {
            errors.add("Unexpected field.", field: field)
        }
        var mirror = false
        switch fields["mirror"] {
        case nil, .null?: break
        case .bool(let value)?: mirror = value
        default: errors.add("Must be a valid boolean.", field: "mirror")
        }
        let remote = try await remoteID(fields["remote"], repository: repository, errors: &errors, in: environment)
        guard let remote, errors.isEmpty else { throw APIError(errors) }
        let arguments = try JSONEncoder().encode(SyncRequest(remote: remote, repository: repository, mirror: mirror))
        let repositoryTable = environment.tables[repositoryPath] ?? repositoryPath
        let remoteTable = environment.tables[remotePath] ?? remotePath
        let task = try await queue.dispatch(
            syncTask, argumentsJSON: arguments,
            exclusiveResources: [ServingEnvironment.resourceName(table: repositoryTable, id: repository)],
            sharedResources: [ServingEnvironment.resourceName(table: remoteTable, id: remote)], immediate: false,
            deferred: true)
        return JSONResponse.make(
            .object(["task": .string(TaskRendering(apiBase: environment.apiBase).href(ofTask: task.id))]),
            status: .accepted)
    }

    /// The arguments of a sync task.
    private struct SyncRequest: Encodable {
        let remote: UUID
        let repository: UUID
        let mirror: Bool
    }

    /// The remote a sync reads: the given href, which must name a remote of ``remotePath``, else
    /// the repository's own remote; a field error when neither gives one.
    private func remoteID(
        _ given: JSONValue?, repository: UUID, errors: inout ValidationErrors, in environment: ServingEnvironment
    ) async throws -> UUID? {
        let remotes = environment.apiBase + remotePath + "/"
        switch given {
        case .string(let href)?:
            guard href.hasPrefix(remotes), let id = UUID(uuidString: String(href.dropFirst(remotes.count).dropLast())),
                href.hasSuffix("/"), let table = environment.tables[remotePath]
            else {
                errors.add("Invalid hyperlink - No URL match.", field: "remote")
                return nil
            }
            let exists = try await environment.database.withConnection { connection in
                try !connection.query(
                    "SELECT 1 FROM \(quoteIdentifier(table)) WHERE pulp_id = \(connection.dialect.placeholder(1))",
                    [.uuid(id)]
                ).isEmpty
            }
            if !exists { errors.add("Invalid hyperlink - Object does not exist.", field: "remote") }
            return exists ? id : nil
        case nil, .null?:
            let own = try await environment.database.withConnection { connection in
                try Repository.query(on: connection).filter(Column("pulp_id") == repository).first()?.remoteID
            }
            if own == nil {
                errors.add("A remote must be specified, since the repository has none.", field: "remote")
            }
            return own
        default:
            errors.add("Incorrect type. Expected URL string.", field: "remote")
            return nil
        }
    }
}
