import Foundation
import TandemDatabase
import TandemORM

/// Reading and writing repository versions, as pulpcore's `RepositoryVersion` context does. Every
/// function runs on the caller's connection; those that write expect a transaction and the
/// repository reserved exclusively by the running task (the task system's reservations), so one
/// writer makes a repository's next version at a time.
///
/// ```swift
/// let version = try database.transaction { try RepositoryVersions.begin(repositoryID: id, on: $0) }
/// try database.transaction { _ = try RepositoryVersions.add(contentIDs, to: version, on: $0) }
/// let finished = try database.transaction { try RepositoryVersions.finish(version, on: $0) }
/// ```
public enum RepositoryVersions {
    private static let versions = quoteIdentifier(RepositoryVersion.tableName)
    private static let memberships = quoteIdentifier(RepositoryContent.tableName)
    private static let repositories = quoteIdentifier(Repository.tableName)

    /// Makes version 0 of a new repository, empty and complete, and numbers the next one 1.
    public static func createInitial(repositoryID: UUID, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            "INSERT INTO \(versions) (pulp_id, repository_id, number, complete) VALUES (\(p(1)), \(p(2)), 0, \(p(3)))",
            [.uuid(UUID()), .uuid(repositoryID), .bool(true)])
        try connection.execute(
            "UPDATE \(repositories) SET next_version = 1 WHERE pulp_id = \(p(1))", [.uuid(repositoryID)])
    }

    /// One page of a repository's complete versions, newest first, with how many there are.
    public static func versions(of repositoryID: UUID, limit: Int, offset: Int, on connection: Connection) throws
        -> (count: Int, versions: [RepositoryVersion])
    {
        let p = connection.dialect.placeholder
        let count = try connection.query(
            "SELECT count(*) FROM \(versions) WHERE repository_id = \(p(1)) AND complete = \(p(2))",
            [.uuid(repositoryID), .bool(true)]
        ).first?.decode(Int.self, at: 0)
        let rows = try connection.query(
            """
            SELECT \(columns) FROM \(versions) WHERE repository_id = \(p(1)) AND complete = \(p(2))
            ORDER BY number DESC LIMIT \(p(3)) OFFSET \(p(4))
            """, [.uuid(repositoryID), .bool(true), .integer(Int64(limit)), .integer(Int64(offset))])
        return (count ?? 0, try rows.map(version(from:)))
    }

    /// A repository's complete version with this number, if any.
    public static func version(of repositoryID: UUID, number: Int, on connection: Connection) throws
        -> RepositoryVersion?
    {
        let p = connection.dialect.placeholder
        return try connection.query(
            "SELECT \(columns) FROM \(versions) WHERE repository_id = \(p(1)) AND number = \(p(2)) AND complete = \(p(3))",
            [.uuid(repositoryID), .integer(Int64(number)), .bool(true)]
        ).first.map(version(from:))
    }

    /// The number of each repository's latest complete version; repositories without one are
    /// left out.
    public static func latestNumbers(of repositoryIDs: [UUID], on connection: Connection) throws -> [UUID: Int] {
        guard !repositoryIDs.isEmpty else { return [:] }
        let p = connection.dialect.placeholder
        let list = (0..<repositoryIDs.count).map { p($0 + 2) }.joined(separator: ", ")
        let rows = try connection.query(
            """
            SELECT repository_id, max(number) AS latest FROM \(versions)
            WHERE complete = \(p(1)) AND repository_id IN (\(list)) GROUP BY repository_id
            """, [.bool(true)] + repositoryIDs.map(DatabaseValue.uuid))
        var latest: [UUID: Int] = [:]
        for row in rows { latest[try row.decode(UUID.self, "repository_id")] = try row.decode(Int.self, "latest") }
        return latest
    }

    /// The content in a repository's version `number`: what it added up to then and had not
    /// removed by then.
    public static func contentIDs(of repositoryID: UUID, number: Int, on connection: Connection) throws -> [UUID] {
        let select: SQLFragment = "\(contentIDsQuery(of: repositoryID, number: number)) ORDER BY m.content_id"
        let (sql, values) = select.rendered(for: connection.dialect)
        return try connection.query(sql, values).map { try $0.decode(UUID.self, at: 0) }
    }

    /// A `SELECT` of the ids of the content in a repository's version `number`, for a subquery
    /// such as `Column("pulp_id").in(...)`: the memberships it added up to then (alias `m`) and
    /// had not removed by then.
    public static func contentIDsQuery(of repositoryID: UUID, number: Int) -> SQLFragment {
        """
        SELECT m.content_id FROM \(identifier: RepositoryContent.tableName) m
        JOIN \(identifier: RepositoryVersion.tableName) added ON added.pulp_id = m.version_added_id
        LEFT JOIN \(identifier: RepositoryVersion.tableName) removed ON removed.pulp_id = m.version_removed_id
        WHERE m.repository_id = \(repositoryID) AND added.number <= \(number)
        AND (removed.pulp_id IS NULL OR removed.number > \(number))
        """
    }

    /// A `SELECT` of the ids of the content a version added, for a subquery.
    public static func contentIDsQuery(addedBy version: RepositoryVersion) -> SQLFragment {
        "SELECT content_id FROM \(identifier: RepositoryContent.tableName) WHERE version_added_id = \(version.pulpID)"
    }

    /// A `SELECT` of the ids of the content a version removed, for a subquery.
    public static func contentIDsQuery(removedBy version: RepositoryVersion) -> SQLFragment {
        "SELECT content_id FROM \(identifier: RepositoryContent.tableName) WHERE version_removed_id = \(version.pulpID)"
    }

    /// How many units of each content type (`pulp_type`) a complete version added, removed and
    /// holds, as pulpcore's `content_summary` counts them.
    public static func contentSummary(of version: RepositoryVersion, on connection: Connection) throws
        -> (added: [String: Int], removed: [String: Int], present: [String: Int])
    {
        let p = connection.dialect.placeholder
        let content = quoteIdentifier(Content.tableName)
        func counts(_ condition: String, _ values: [DatabaseValue]) throws -> [String: Int] {
            var result: [String: Int] = [:]
            for row in try connection.query(
                """
                SELECT c.pulp_type, count(*) AS n FROM \(memberships) m JOIN \(content) c ON c.pulp_id = m.content_id
                WHERE \(condition) GROUP BY c.pulp_type
                """, values)
            {
                result[try row.decode(String.self, "pulp_type")] = try row.decode(Int.self, "n")
            }
            return result
        }
        let present = try counts(
            """
            m.repository_id = \(p(1)) AND (SELECT number FROM \(versions) WHERE pulp_id = m.version_added_id) <= \(p(2))
            AND (m.version_removed_id IS NULL
                OR (SELECT number FROM \(versions) WHERE pulp_id = m.version_removed_id) > \(p(2)))
            """, [.uuid(version.repositoryID), .integer(Int64(version.number))])
        return (
            try counts("m.version_added_id = \(p(1))", [.uuid(version.pulpID)]),
            try counts("m.version_removed_id = \(p(1))", [.uuid(version.pulpID)]),
            present
        )
    }

    /// Starts the repository's next version on the latest complete one: it is numbered
    /// `next_version`, which moves on. Incomplete versions left by a task that died are deleted
    /// first (the caller holds the repository, so nobody is writing them).
    ///
    /// - Throws: ``RepositoryVersionError`` when the repository does not exist.
    public static func begin(repositoryID: UUID, on connection: Connection) throws -> RepositoryVersion {
        let p = connection.dialect.placeholder
        let lock = connection.dialect == .postgres ? " FOR UPDATE" : ""
        guard
            let row = try connection.query(
                "SELECT next_version FROM \(repositories) WHERE pulp_id = \(p(1))\(lock)", [.uuid(repositoryID)]
            ).first
        else {
            throw RepositoryVersionError(message: "repository \(repositoryID.uuidString.lowercased()) does not exist")
        }
        try connection.execute(
            "DELETE FROM \(versions) WHERE repository_id = \(p(1)) AND complete = \(p(2))",
            [.uuid(repositoryID), .bool(false)])
        let base = try connection.query(
            "SELECT pulp_id FROM \(versions) WHERE repository_id = \(p(1)) AND complete = \(p(2)) ORDER BY number DESC LIMIT 1",
            [.uuid(repositoryID), .bool(true)]
        ).first.map { try $0.decode(UUID.self, at: 0) }
        let number = try row.decode(Int.self, at: 0)
        let version = RepositoryVersion(repositoryID: repositoryID, number: number, baseVersionID: base)
        try connection.execute(
            """
            INSERT INTO \(versions) (pulp_id, repository_id, number, complete, base_version_id)
            VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)))
            """,
            [
                .uuid(version.pulpID), .uuid(repositoryID), .integer(Int64(number)), .bool(false),
                base.map(DatabaseValue.uuid) ?? .null,
            ])
        try connection.execute(
            "UPDATE \(repositories) SET next_version = \(p(1)) WHERE pulp_id = \(p(2))",
            [.integer(Int64(number + 1)), .uuid(repositoryID)])
        return version
    }

    /// The content the repository holds now, with the version being built: every membership
    /// not removed (all other versions are complete and older).
    public static func currentContentIDs(of version: RepositoryVersion, on connection: Connection) throws -> Set<UUID> {
        let p = connection.dialect.placeholder
        return Set(
            try connection.query(
                "SELECT content_id FROM \(memberships) WHERE repository_id = \(p(1)) AND version_removed_id IS NULL",
                [.uuid(version.repositoryID)]
            ).map { try $0.decode(UUID.self, at: 0) })
    }

    /// Adds content to the version being built; what the repository holds already is skipped.
    /// - Returns: how many units were added.
    @discardableResult
    public static func add(_ contentIDs: [UUID], to version: RepositoryVersion, on connection: Connection) throws
        -> Int
    {
        let present = try currentContentIDs(of: version, on: connection)
        let p = connection.dialect.placeholder
        var added = Set<UUID>()
        for id in contentIDs where !present.contains(id) && !added.contains(id) {
            try connection.execute(
                """
                INSERT INTO \(memberships) (pulp_id, repository_id, content_id, version_added_id)
                VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)))
                """, [.uuid(UUID()), .uuid(version.repositoryID), .uuid(id), .uuid(version.pulpID)])
            added.insert(id)
        }
        return added.count
    }

    /// Removes content from the version being built; what the repository does not hold is
    /// skipped. - Returns: how many units were removed.
    @discardableResult
    public static func remove(_ contentIDs: [UUID], from version: RepositoryVersion, on connection: Connection)
        throws -> Int
    {
        let p = connection.dialect.placeholder
        var removed = 0
        for id in Set(contentIDs) {
            // Added by this very version: it was never in a complete one, so the row goes.
            removed += try connection.execute(
                "DELETE FROM \(memberships) WHERE repository_id = \(p(1)) AND content_id = \(p(2)) AND version_added_id = \(p(3))",
                [.uuid(version.repositoryID), .uuid(id), .uuid(version.pulpID)])
            removed += try connection.execute(
                """
                UPDATE \(memberships) SET version_removed_id = \(p(1))
                WHERE repository_id = \(p(2)) AND content_id = \(p(3)) AND version_removed_id IS NULL
                """, [.uuid(version.pulpID), .uuid(version.repositoryID), .uuid(id)])
        }
        return removed
    }

    /// Marks the version complete; a version that changed nothing is discarded instead, as
    /// pulpcore does (no new number shows).
    /// - Returns: the complete version, or nil when it was discarded.
    public static func finish(_ version: RepositoryVersion, on connection: Connection) throws -> RepositoryVersion? {
        let p = connection.dialect.placeholder
        let changes =
            try connection.query(
                "SELECT count(*) FROM \(memberships) WHERE version_added_id = \(p(1)) OR version_removed_id = \(p(1))",
                [.uuid(version.pulpID)]
            ).first?.decode(Int.self, at: 0) ?? 0
        guard changes > 0 || version.baseVersionID == nil else {
            try discard(version, on: connection)
            return nil
        }
        try connection.execute(
            "UPDATE \(versions) SET complete = \(p(1)), pulp_last_updated = \(p(2)) WHERE pulp_id = \(p(3))",
            [.bool(true), .timestamp(Date()), .uuid(version.pulpID)])
        var finished = version
        finished.complete = true
        return finished
    }

    /// Deletes an incomplete version with its memberships (what it removed is back) and gives its
    /// number back when it is still the newest.
    public static func discard(_ version: RepositoryVersion, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            "UPDATE \(memberships) SET version_removed_id = NULL WHERE version_removed_id = \(p(1))",
            [.uuid(version.pulpID)])
        try connection.execute(
            "DELETE FROM \(memberships) WHERE version_added_id = \(p(1))", [.uuid(version.pulpID)])
        try connection.execute(
            "DELETE FROM \(versions) WHERE pulp_id = \(p(1)) AND complete = \(p(2))",
            [.uuid(version.pulpID), .bool(false)])
        try connection.execute(
            "UPDATE \(repositories) SET next_version = \(p(1)) WHERE pulp_id = \(p(2)) AND next_version = \(p(3))",
            [.integer(Int64(version.number)), .uuid(version.repositoryID), .integer(Int64(version.number + 1))])
    }

    private static let columns =
        "pulp_id, pulp_created, pulp_last_updated, repository_id, number, complete, base_version_id"

    private static func version(from row: Row) throws -> RepositoryVersion {
        var version = RepositoryVersion(
            repositoryID: try row.decode(UUID.self, "repository_id"), number: try row.decode(Int.self, "number"),
            complete: try row.decode(Bool.self, "complete"),
            baseVersionID: try row.decode(UUID?.self, "base_version_id"), pulpID: try row.decode(UUID.self, "pulp_id"),
            pulpCreated: try row.decode(Date.self, "pulp_created"))
        version.pulpLastUpdated = try row.decode(Date?.self, "pulp_last_updated")
        return version
    }
}

/// A repository version could not be made.
public struct RepositoryVersionError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}
