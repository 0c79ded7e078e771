import Foundation
import TandemApp
import TandemDatabase

/// Where temporary files are kept (the host's settings choose).
public enum TemporaryFileStorage: Sendable, Hashable {
    /// Files in a folder, which may be a mount shared by every machine.
    case folder(URL)
    /// Chunks in the database itself, for clusters without a shared filesystem.
    case database(chunkSize: Int = 1 << 20)
}

/// A file handed from the API to a task, as stored in `core_temporaryfile`.
public struct TemporaryFile: Sendable, Hashable {
    /// Its identifier.
    public let id: UUID
    /// Its size in bytes.
    public let size: Int64
    /// Its digests, by algorithm.
    public let digests: [String: String]
}

/// A temporary file could not be made or read: a digest mismatch, a file that cannot be read.
/// Nothing is kept. (A forbidden algorithm is the policy's ``TandemApp/ChecksumError``.)
public struct TemporaryFileError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// Saves files for tasks, with their size and digests, where any worker on any machine can read
/// them; deletes them after use or when old.
///
/// ```swift
/// let files = try TemporaryFiles(
///     database: database, storage: .database(), checksums: try settings.checksumPolicy(),
///     algorithms: ["sha256", "sha512"])
/// let file = try await files.create(from: upload, expectedDigests: ["sha256": "…"])
/// // in a task, on any worker:
/// try await files.copy(file.id, to: context.workingDirectory.appendingPathComponent("upload"))
/// ```
public struct TemporaryFiles: Sendable {
    /// The database holding the records (and the chunks, with database storage).
    public let database: Database
    /// Where the contents live.
    public let storage: TemporaryFileStorage
    /// The host's checksum policy (`allowed_content_checksums`): the only source of hashers.
    public let checksums: ChecksumPolicy
    /// The algorithms computed for every file: those asked for, and always sha256.
    public let algorithms: [ChecksumAlgorithm]
    private let readSize = 1 << 16

    /// Creates the store.
    /// - Parameter algorithms: the digests to record for every file, by name; sha256 is always
    ///   recorded.
    /// - Throws: ``TandemApp/ChecksumError`` for an unknown algorithm or one the policy forbids
    ///   (md5 by default).
    public init(
        database: Database, storage: TemporaryFileStorage, checksums: ChecksumPolicy, algorithms: [String] = ["sha256"]
    ) throws(ChecksumError) {
        var chosen: Set<ChecksumAlgorithm> = [ChecksumPolicy.requiredAlgorithm]
        for name in algorithms {
            chosen.insert(try checksums.hasher(name).algorithm)
        }
        self.database = database
        self.storage = storage
        self.checksums = checksums
        self.algorithms = chosen.sorted()
    }

    /// Saves a copy of `source`, with its size and digests. Each expected digest is checked
    /// first: a mismatch throws ``TemporaryFileError``, an algorithm the policy forbids
    /// ``TandemApp/ChecksumError``, and nothing is kept.
    public func create(from source: URL, expectedDigests: [String: String] = [:]) async throws -> TemporaryFile {
        var computed = Set(algorithms)
        for name in expectedDigests.keys.sorted() {
            computed.insert(try checksums.hasher(name).algorithm)
        }
        let (policy, chosen) = (checksums, computed.sorted())
        let readSize = self.readSize
        let (size, digests) = try await BlockingIO.run { () throws -> (Int64, [String: String]) in
            let accumulator = try FileDigests(chosen, policy: policy)
            var size: Int64 = 0
            try Self.read(source, pieceSize: readSize) { piece in
                accumulator.update(piece)
                size += Int64(piece.count)
            }
            return (size, accumulator.finish())
        }
        for (algorithm, expected) in expectedDigests.sorted(by: { $0.key < $1.key })
        where digests[algorithm] != expected.lowercased() {
            throw TemporaryFileError(message: "the file's \(algorithm) digest does not match the expected one")
        }
        let file = TemporaryFile(id: UUID(), size: size, digests: digests)
        switch storage {
        case .folder(let folder):
            let target = Self.path(of: file.id, in: folder)
            try await BlockingIO.run {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let partial = target.appendingPathExtension("part")
                try? FileManager.default.removeItem(at: partial)
                try FileManager.default.copyItem(at: source, to: partial)
                try FileManager.default.moveItem(at: partial, to: target)
            }
            do {
                try await insert(file, storage: "folder", path: target.path)
            } catch {
                try? await BlockingIO.run { try FileManager.default.removeItem(at: target) }
                throw error
            }
        case .database(let chunkSize):
            try await database.transaction { connection in
                try Self.insert(file, storage: "database", path: nil, on: connection)
                var number = 0
                try Self.read(source, pieceSize: chunkSize) { piece in
                    let p = connection.dialect.placeholder
                    try connection.execute(
                        "INSERT INTO \(TaskTables.temporaryFileChunk) (file_id, number, data) VALUES (\(p(1)), \(p(2)), \(p(3)))",
                        [.uuid(file.id), .integer(Int64(number)), .bytes(Array(piece))])
                    number += 1
                }
            }
        }
        return file
    }

    /// Writes the file's contents to `destination`, checking its size and the digests it was
    /// saved with that the policy still allows (sha256 at least).
    ///
    /// - Throws: ``TaskNotFound`` for an unknown file; ``TemporaryFileError`` when the stored
    ///   contents no longer match.
    public func copy(_ id: UUID, to destination: URL) async throws {
        let (file, storage, path) = try await record(id)
        let policy = checksums
        let checked = file.digests.keys.compactMap(ChecksumAlgorithm.init(rawValue:)).filter(policy.allows).sorted()
        let size: Int64
        let digests: [String: String]
        if storage == "folder", let path {
            let readSize = self.readSize
            (size, digests) = try await BlockingIO.run {
                let accumulator = try FileDigests(checked, policy: policy)
                var size: Int64 = 0
                try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: destination)
                try Self.read(destination, pieceSize: readSize) { piece in
                    accumulator.update(piece)
                    size += Int64(piece.count)
                }
                return (size, accumulator.finish())
            }
        } else {
            (size, digests) = try await database.withConnection { connection in
                let accumulator = try FileDigests(checked, policy: policy)
                var size: Int64 = 0
                FileManager.default.createFile(atPath: destination.path, contents: nil)
                let handle = try FileHandle(forWritingTo: destination)
                defer { try? handle.close() }
                let count = try connection.query(
                    "SELECT count(*) FROM \(TaskTables.temporaryFileChunk) WHERE file_id = \(connection.dialect.placeholder(1))",
                    [.uuid(id)])[0].decode(Int.self, at: 0)
                for number in 0..<count {
                    let p = connection.dialect.placeholder
                    let rows = try connection.query(
                        "SELECT data FROM \(TaskTables.temporaryFileChunk) WHERE file_id = \(p(1)) AND number = \(p(2))",
                        [.uuid(id), .integer(Int64(number))])
                    guard let row = rows.first else {
                        throw TemporaryFileError(
                            message: "temporary file \(id.uuidString.lowercased()) is missing a chunk")
                    }
                    let piece = try row.decode(Data.self, at: 0)
                    try handle.write(contentsOf: piece)
                    accumulator.update(piece)
                    size += Int64(piece.count)
                }
                return (size, accumulator.finish())
            }
        }
        let matches = !checked.isEmpty && checked.allSatisfy { digests[$0.rawValue] == file.digests[$0.rawValue] }
        guard size == file.size, matches else {
            try? await BlockingIO.run { try FileManager.default.removeItem(at: destination) }
            throw TemporaryFileError(
                message: "temporary file \(id.uuidString.lowercased()) no longer matches its size and digests")
        }
    }

    /// The file's record.
    ///
    /// - Throws: ``TaskNotFound``.
    public func file(_ id: UUID) async throws -> TemporaryFile {
        try await record(id).0
    }

    /// Deletes a file (its record, chunks and folder copy) after use.
    public func delete(_ id: UUID) async throws {
        let path = try await database.transaction { connection -> String? in
            let p = connection.dialect.placeholder
            let path = try connection.query(
                "SELECT path FROM \(TaskTables.temporaryFile) WHERE pulp_id = \(p(1))", [.uuid(id)]
            ).first.flatMap { try $0.decode(String?.self, at: 0) }
            try connection.execute("DELETE FROM \(TaskTables.temporaryFileChunk) WHERE file_id = \(p(1))", [.uuid(id)])
            try connection.execute("DELETE FROM \(TaskTables.temporaryFile) WHERE pulp_id = \(p(1))", [.uuid(id)])
            return path
        }
        if let path { try? await BlockingIO.run { try FileManager.default.removeItem(atPath: path) } }
    }

    /// Deletes files older than `age`, by the database's clock; returns how many.
    @discardableResult
    public func deleteOlder(than age: Duration) async throws -> Int {
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
        let old = try await database.withConnection { connection in
            let condition =
                switch connection.dialect {
                case .postgres: "pulp_created < CURRENT_TIMESTAMP - make_interval(secs => $1)"
                // The first 19 characters: both stored text forms (`…Z`, `…+00`) start with them.
                case .sqlite: "(julianday('now') - julianday(substr(pulp_created, 1, 19))) * 86400.0 > ?1"
                }
            return try connection.query(
                "SELECT pulp_id FROM \(TaskTables.temporaryFile) WHERE \(condition)", [.double(seconds)]
            ).map { try $0.decode(UUID.self, at: 0) }
        }
        for id in old { try await delete(id) }
        return old.count
    }

    private func insert(_ file: TemporaryFile, storage: String, path: String?) async throws {
        try await database.withConnection { try Self.insert(file, storage: storage, path: path, on: $0) }
    }

    private static func insert(_ file: TemporaryFile, storage: String, path: String?, on connection: Connection) throws
    {
        let p = connection.dialect.placeholder
        try connection.execute(
            """
            INSERT INTO \(TaskTables.temporaryFile) (pulp_id, pulp_created, size, digests, storage, path)
            VALUES (\(p(1)), \(TaskTables.now(connection.dialect)), \(p(2)), \(p(3)), \(p(4)), \(p(5)))
            """,
            [
                .uuid(file.id), .integer(file.size), .text(try JSONCoding.encode(file.digests)), .text(storage),
                path.map(DatabaseValue.text) ?? .null,
            ])
    }

    private func record(_ id: UUID) async throws -> (TemporaryFile, String, String?) {
        let found = try await database.withConnection { connection in
            try connection.query(
                "SELECT size, digests, storage, path FROM \(TaskTables.temporaryFile) WHERE pulp_id = \(connection.dialect.placeholder(1))",
                [.uuid(id)]
            ).first.map { row in
                (
                    TemporaryFile(
                        id: id, size: try row.decode(Int64.self, "size"),
                        digests: try JSONCoding.decode([String: String].self, try row.decode(String.self, "digests"))),
                    try row.decode(String.self, "storage"), try row.decode(String?.self, "path")
                )
            }
        }
        guard let found else { throw TaskNotFound(what: "temporary file \(id.uuidString.lowercased())") }
        return found
    }

    private static func path(of id: UUID, in folder: URL) -> URL {
        folder.appendingPathComponent(id.uuidString.lowercased())
    }

    /// Reads a file in pieces of `pieceSize` bytes.
    private static func read(_ url: URL, pieceSize: Int, _ body: (Data) throws -> Void) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw TemporaryFileError(message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        while let piece = try handle.read(upToCount: pieceSize), !piece.isEmpty {
            try body(piece)
        }
    }
}
