import Foundation
import TandemApp
import TandemDatabase
import TandemORM
import TandemTasks

/// `file.tasks.synchronize`'s arguments: which remote to read, which repository to write, and
/// whether the new version holds exactly the manifest's files (`mirror`) or adds them to what
/// the repository holds.
public struct SyncArguments: Codable, Sendable, Equatable {
    /// The file remote's id.
    public var remote: UUID
    /// The file repository's id.
    public var repository: UUID
    /// Whether content missing from the manifest is removed.
    public var mirror: Bool

    /// Creates arguments.
    public init(remote: UUID, repository: UUID, mirror: Bool) {
        self.remote = remote
        self.repository = repository
        self.mirror = mirror
    }
}

/// The sync of a file repository from its remote's `PULP_MANIFEST`: fetch, validate every line,
/// record `FileContent` (one per path and digest, shared between repositories) and a new
/// repository version, marked complete only at the end. A failure at any step discards the new
/// version, so no half-made version is ever seen.
struct FileSynchronizer: Sendable {
    /// The task's context (its database and progress reports).
    let context: TaskContext
    /// How the manifest is fetched.
    let download: ManifestDownload
    /// Rows written per transaction.
    var batchSize = 200

    /// Progress report codes, as pulp_file names them.
    static let downloadingCode = "sync.downloading.metadata"
    static let parsingCode = "sync.parsing.metadata"
    static let associatingCode = "associating.content"

    /// Runs the sync; returns the new version, or nil when nothing changed.
    func run(_ arguments: SyncArguments) async throws -> RepositoryVersion? {
        let database = context.database
        guard
            let remote = try await FileRemote.query(on: database).filter(Column("pulp_id") == arguments.remote)
                .first()
        else { throw SyncError(message: "file remote \(arguments.remote.uuidString.lowercased()) does not exist") }
        guard
            try await FileRepository.query(on: database).filter(Column("pulp_id") == arguments.repository).first()
                != nil
        else {
            throw SyncError(message: "file repository \(arguments.repository.uuidString.lowercased()) does not exist")
        }
        guard let url = ManifestDownload.manifestURL(for: remote.parent.url) else {
            throw SyncError(message: "the remote's URL is not a URL")
        }
        try await context.addProgressReport(message: "Downloading Metadata", code: Self.downloadingCode, total: 1)
        let text = try await download.text(from: url)
        try await context.increment(Self.downloadingCode)
        let manifest = try Manifest(parsing: text)
        try await context.addProgressReport(
            message: "Parsing Metadata Lines", code: Self.parsingCode, total: manifest.entries.count)
        try await context.increment(Self.parsingCode, by: manifest.entries.count)
        try await context.addProgressReport(
            message: "Associating Content", code: Self.associatingCode, total: manifest.entries.count)

        let version = try await database.transaction {
            try RepositoryVersions.begin(repositoryID: arguments.repository, on: $0)
        }
        do {
            var wanted = Set<UUID>()
            var start = 0
            while start < manifest.entries.count {
                let batch = Array(manifest.entries[start..<min(start + batchSize, manifest.entries.count)])
                wanted.formUnion(try await record(batch, in: version))
                try await context.increment(Self.associatingCode, by: batch.count)
                start += batch.count
            }
            let mirror = arguments.mirror
            let listed = wanted
            return try await database.transaction { connection in
                if mirror {
                    let present = try RepositoryVersions.currentContentIDs(of: version, on: connection)
                    try RepositoryVersions.remove(Array(present.subtracting(listed)), from: version, on: connection)
                }
                return try RepositoryVersions.finish(version, on: connection)
            }
        } catch {
            try? await database.transaction { try RepositoryVersions.discard(version, on: $0) }
            throw error
        }
    }

    /// Records one batch in one transaction: finds or creates each file, replaces a file the
    /// repository holds at the same path, adds the batch to the version.
    /// - Returns: the batch's content ids.
    private func record(_ batch: [Manifest.Entry], in version: RepositoryVersion) async throws -> [UUID] {
        let database = context.database
        // A sync of another repository may create the same file at the same time: the unique
        // (relative_path, digest) constraint refuses one, whose batch is then done again.
        for attempt in 1...3 {
            do {
                return try await database.transaction { connection in
                    var ids: [UUID] = []
                    for entry in batch {
                        ids.append(try Self.content(for: entry, on: connection))
                    }
                    let replaced = try Self.samePathContent(as: batch, excluding: Set(ids), in: version, on: connection)
                    try RepositoryVersions.remove(replaced, from: version, on: connection)
                    try RepositoryVersions.add(ids, to: version, on: connection)
                    return ids
                }
            } catch let error as DatabaseError where error.isUniqueViolation && attempt < 3 {
                continue
            }
        }
        preconditionFailure("the loop returns or throws")
    }

    /// The id of the file with this path and digest, created when there is none.
    private static func content(for entry: Manifest.Entry, on connection: Connection) throws -> UUID {
        if let existing = try FileContent.query(on: connection).filter(Column("relative_path") == entry.relativePath)
            .filter(Column("digest") == entry.digest).first()
        {
            return existing.parent.pulpID
        }
        var content = FileContent(relativePath: entry.relativePath, digest: entry.digest)
        try content.create(on: connection)
        return content.parent.pulpID
    }

    /// What the repository holds at the batch's paths that is not the batch's own content: a
    /// repository holds one file per path, so a new digest replaces the old file.
    private static func samePathContent(
        as batch: [Manifest.Entry], excluding ids: Set<UUID>, in version: RepositoryVersion, on connection: Connection
    ) throws -> [UUID] {
        let present = try RepositoryVersions.currentContentIDs(of: version, on: connection)
        guard !present.isEmpty else { return [] }
        let paths = batch.map(\.relativePath)
        return try FileContent.query(on: connection).filter(Column("relative_path").in(paths)).all()
            .map(\.parent.pulpID).filter { present.contains($0) && !ids.contains($0) }
    }
}
