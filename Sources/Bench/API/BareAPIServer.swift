import Foundation
import HTTPTypes
import Hummingbird
import TandemDatabase

/// The baseline of `tandem-bench api`: hand-written Hummingbird routes answering the same four
/// requests as Tandem's API with the same SQL through TandemDatabase's connections, without the
/// REST engine, the ORM or the serializers.
struct BareAPIServer: Sendable {
    let database: Database
    let storagePath: String
    private let statements: BareStatements
    private let credentials = BareCredentials()
    private static let base = "/pulp/api/v3/"
    private static let collection = base + "remotes/file/file/"

    init(database: Database, storagePath: String) {
        self.database = database
        self.storagePath = storagePath
        statements = BareStatements(dialect: database.dialect)
    }

    /// The bare server's routes.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get(RouterPath(Self.base + "status/")) { _, _ in try await status() }
        router.post(RouterPath(Self.collection)) { request, _ in
            guard let user = try await authenticate(request) else {
                return Self.reply(.unauthorized, ["detail": "Invalid username/password."])
            }
            guard user.isAdmin else { return Self.reply(.forbidden, ["detail": "You do not have permission."]) }
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            return try await create(Data(body.readableBytesView))
        }
        router.get(RouterPath(Self.collection)) { request, _ in
            guard try await authenticate(request) != nil else {
                return Self.reply(.unauthorized, ["detail": "Invalid username/password."])
            }
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1000)
            let offset = request.uri.queryParameters.get("offset", as: Int.self) ?? 0
            guard limit > 0, offset >= 0 else {
                return Self.reply(.badRequest, ["limit": ["A positive integer is required."]])
            }
            return try await list(limit: limit, offset: offset)
        }
        router.get(RouterPath(Self.collection + ":key/")) { request, context in
            guard try await authenticate(request) != nil else {
                return Self.reply(.unauthorized, ["detail": "Invalid username/password."])
            }
            guard let key = context.parameters.get("key").flatMap(UUID.init(uuidString:)) else {
                return Self.reply(.notFound, ["detail": "Not found."])
            }
            return try await retrieve(key)
        }
        return router
    }

    private struct User: Sendable {
        let isAdmin: Bool
    }

    private func authenticate(_ request: Request) async throws -> User? {
        guard let given = BareCredentials.basic(request.headers) else { return nil }
        let statements = statements
        let rows = try await database.withConnection { try $0.query(statements.user, [.text(given.name)]) }
        guard let row = rows.first else { return nil }
        let hash = try row.decode(String.self, "password_hash")
        guard try await credentials.check(name: given.name, password: given.password, hash: hash) else { return nil }
        return User(isAdmin: try row.decode(Bool.self, "is_admin"))
    }

    private func status() async throws -> Response {
        let statements = statements
        let components = try await database.withConnection { connection in
            _ = try connection.query(statements.ping)
            return try connection.query(statements.components)
        }
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: storagePath)
        let total = (attributes[.systemSize] as? NSNumber)?.int64Value ?? 0
        let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
        let apps: [[String: String]] = try components.map { row in
            ["name": "\(try row.decode(Int64.self, "pid"))@\(try row.decode(String.self, "host"))"]
        }
        let body: [String: Any] = [
            "versions": [["component": "core", "version": "1.0.0", "package": "tandem", "module": "TandemBench"]],
            "online_workers": [], "online_api_apps": apps, "online_content_apps": [],
            "database_connection": ["connected": true], "redis_connection": ["connected": false],
            "storage": ["total": total, "used": total - free, "free": free], "domain_enabled": false,
        ]
        return Self.reply(.ok, body)
    }

    private func create(_ body: Data) async throws -> Response {
        guard let given = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return Self.reply(.badRequest, ["non_field_errors": ["Invalid data. Expected a dictionary."]])
        }
        guard let name = given["name"] as? String, !name.isEmpty else {
            return Self.reply(.badRequest, ["name": ["This field is required."]])
        }
        guard let url = given["url"] as? String, BareValidation.isValidURL(url) else {
            return Self.reply(.badRequest, ["url": ["Enter a valid URL."]])
        }
        let policy = given["policy"] as? String ?? "immediate"
        let key = UUID(), created = Date()
        let statements = statements
        let duplicate = try await database.withConnection { connection in
            try connection.query(statements.countName, [.text(name)])[0].decode(Int64.self, at: 0) > 0
        }
        if duplicate { return Self.reply(.badRequest, ["name": ["This field must be unique."]]) }
        try await database.transaction { connection in
            _ = try connection.execute(
                statements.insertMaster,
                [
                    .uuid(key), .text("file.file"), .timestamp(created), .null, .text(name), .text(url), .text(policy),
                    .null,
                ])
            _ = try connection.execute(statements.insertDetail, [.uuid(key), .text("PULP_MANIFEST")])
        }
        return Self.reply(
            .created,
            Self.render(
                key: key, created: created, updated: nil, name: name, url: url, policy: policy, concurrency: nil,
                manifest: "PULP_MANIFEST"))
    }

    private func list(limit: Int, offset: Int) async throws -> Response {
        let statements = statements
        let (count, rows) = try await database.withConnection { connection in
            let count = try connection.query(statements.count)[0].decode(Int64.self, at: 0)
            return (count, try connection.query(statements.page, [.integer(Int64(limit)), .integer(Int64(offset))]))
        }
        let results = try rows.map(Self.render(row:))
        let next: Any =
            offset + limit < Int(count) ? "\(Self.collection)?limit=\(limit)&offset=\(offset + limit)" : NSNull()
        return Self.reply(.ok, ["count": count, "next": next, "previous": NSNull(), "results": results])
    }

    private func retrieve(_ key: UUID) async throws -> Response {
        let statements = statements
        let rows = try await database.withConnection { try $0.query(statements.one, [.uuid(key)]) }
        guard let row = rows.first else { return Self.reply(.notFound, ["detail": "Not found."]) }
        return Self.reply(.ok, try Self.render(row: row))
    }

    private static func render(row: Row) throws -> [String: Any] {
        render(
            key: try row.decode(UUID.self, "pulp_id"), created: try row.decode(Date.self, "pulp_created"),
            updated: try row.decode(Date?.self, "pulp_last_updated"), name: try row.decode(String.self, "name"),
            url: try row.decode(String.self, "url"), policy: try row.decode(String.self, "policy"),
            concurrency: try row.decode(Int?.self, "download_concurrency"),
            manifest: try row.decode(String?.self, "manifest"))
    }

    private static func render(
        key: UUID, created: Date, updated: Date?, name: String, url: String, policy: String, concurrency: Int?,
        manifest: String?
    ) -> [String: Any] {
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return [
            "pulp_href": collection + key.uuidString.lowercased() + "/", "pulp_type": "file.file",
            "pulp_created": created.formatted(format),
            "pulp_last_updated": updated.map { $0.formatted(format) } ?? NSNull(),
            "name": name, "url": url, "policy": policy, "download_concurrency": concurrency ?? NSNull(),
            "manifest": manifest ?? NSNull(),
        ]
    }

    private static func reply(_ status: HTTPResponse.Status, _ body: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
