import Foundation
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

/// A temporary file could not be made or read: a digest mismatch, a forbidden algorithm, a file
/// that cannot be read. Nothing is kept.
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
/// let files = TemporaryFiles(database: database, storage: .database(), hasher: try StandardHasher())
/// let file = try await files.create(from: upload, expectedDigests: ["sha256": "…"])
/// // in a task, on any worker:
/// try await files.copy(file.id, to: context.workingDirectory.appendingPathComponent("upload"))
/// ```
public struct TemporaryFiles: Sendable {
    /// The database holding the records (and the chunks, with database storage).
    public let database: Database
    /// Where the contents live.
    public let storage: TemporaryFileStorage
    /// The checksum policy's hasher.
    public let hasher: any TemporaryFileHasher
    private let readSize = 1 << 16

    /// Creates the store.
    public init(database: Database, storage: TemporaryFileStorage, hasher: any TemporaryFileHasher) {
        self.database = database
        self.storage = storage
        self.hasher = hasher
    }

    /// Saves a copy of `source`, with its size and digests. Each expected digest is checked
    /// first: a mismatch, or an algorithm the hasher does not compute, throws and keeps nothing.
    public func create(from source: URL, expectedDigests: [String: String] = [:]) async throws -> TemporaryFile {
        for algorithm in expectedDigests.keys.sorted() where !hasher.algorithms.contains(algorithm) {
            throw TemporaryFileError(message: "checksum algorithm '\(algorithm)' is not allowed")
        }
        let hasher = self.hasher
        let readSize = self.readSize
        let (size, digests) = try await BlockingIO.run { () throws -> (Int64, [String: String]) in
            var accumulator = hasher.start()
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

    /// Writes the file's contents to `destination`, checking its size and digests.
    ///
    /// - Throws: ``TaskNotFound`` for an unknown file; ``TemporaryFileError`` when the stored
    ///   contents no longer match.
    public func copy(_ id: UUID, to destination: URL) async throws {
        let (file, storage, path) = try await record(id)
        let hasher = self.hasher
        let size: Int64
        let digests: [String: String]
        if storage == "folder", let path {
            let readSize = self.readSize
            (size, digests) = try await BlockingIO.run {
                var accumulator = hasher.start()
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
                var accumulator = hasher.start()
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
        guard size == file.size, file.digests.allSatisfy({ digests[$0.key] == $0.value }) else {
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
