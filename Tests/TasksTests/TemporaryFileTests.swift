import Foundation
import TandemApp
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

@Suite("Temporary files")
struct TemporaryFileTests {
    enum Backend: String, CaseIterable, Sendable { case folder, database }

    static let cases: [(TestDatabaseKind, Backend)] = TestDatabaseKind.engines.flatMap { kind in
        Backend.allCases.map { (kind, $0) }
    }

    private func store(
        _ database: Database, _ backend: Backend, folder: URL, checksums: ChecksumPolicy = .default,
        algorithms: [String] = ["sha512"]
    ) throws -> TemporaryFiles {
        try TemporaryFiles(
            database: database,
            storage: backend == .folder ? .folder(folder) : .database(chunkSize: 1000),
            checksums: checksums, algorithms: algorithms)
    }

    /// The digest as the host's policy computes it (its hashers are checked against published
    /// test vectors in ChecksumPolicyTests).
    private func digest(_ algorithm: String, _ data: Data) throws -> String {
        let hasher = try ChecksumPolicy(allowed: ChecksumAlgorithm.allCases.map(\.rawValue)).hasher(algorithm)
        hasher.update(data)
        return hasher.finalize()
    }

    private func sha256(_ data: Data) throws -> String { try digest("sha256", data) }

    @Test(arguments: cases)
    func savesChecksAndHandsBackTheFile(_ kind: TestDatabaseKind, _ backend: Backend) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfiles-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await withTaskDatabase(kind) { database in
            let files = try store(database, backend, folder: scratch.appendingPathComponent("store"))
            let content = Data((0..<4500).map { UInt8($0 % 251) })
            let source = scratch.appendingPathComponent("upload")
            try content.write(to: source)
            let file = try await files.create(from: source, expectedDigests: ["sha256": try sha256(content)])
            #expect(file.size == 4500)
            // sha256 always, sha512 as asked.
            #expect(file.digests == ["sha256": try sha256(content), "sha512": try digest("sha512", content)])
            let copy = scratch.appendingPathComponent("copy")
            try await files.copy(file.id, to: copy)
            #expect(try Data(contentsOf: copy) == content)
            #expect(try await files.file(file.id) == file)

            let mismatch = await #expect(throws: TemporaryFileError.self) {
                try await files.create(from: source, expectedDigests: ["sha256": String(repeating: "0", count: 64)])
            }
            #expect(mismatch?.description == "the file's sha256 digest does not match the expected one")
            // The host's policy refuses md5 by default, whether expected or configured.
            let forbidden = await #expect(throws: ChecksumError.self) {
                try await files.create(from: source, expectedDigests: ["md5": "abc"])
            }
            #expect(
                forbidden?.description
                    == "checksum algorithm md5 is forbidden by allowed_content_checksums (allowed: sha224, sha256, sha384, sha512)"
            )
            #expect(throws: ChecksumError.forbidden(.md5, allowed: [.sha224, .sha256, .sha384, .sha512])) {
                try store(database, backend, folder: scratch, algorithms: ["md5"])
            }
            #expect(throws: ChecksumError.unknown("crc32")) {
                try store(database, backend, folder: scratch, algorithms: ["crc32"])
            }
            // Nothing kept from the refused ones.
            let count = try await database.withConnection {
                try $0.query("SELECT count(*) FROM core_temporaryfile")[0].decode(Int.self, at: 0)
            }
            #expect(count == 1)

            try await files.delete(file.id)
            await #expect(throws: TaskNotFound.self) { try await files.file(file.id) }
            let chunks = try await database.withConnection {
                try $0.query("SELECT count(*) FROM core_temporaryfilechunk")[0].decode(Int.self, at: 0)
            }
            #expect(chunks == 0)
            let stored =
                (try? FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("store").path))
                ?? []
            #expect(stored.isEmpty)
        }
    }

    @Test(arguments: cases)
    func anAlgorithmThePolicyAllowsIsComputedAndCheckedOnlyWhileAllowed(
        _ kind: TestDatabaseKind, _ backend: Backend
    ) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfiles-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await withTaskDatabase(kind) { database in
            let folder = scratch.appendingPathComponent("store")
            let legacy = try store(
                database, backend, folder: folder, checksums: try ChecksumPolicy(allowed: ["md5", "sha256"]),
                algorithms: [])
            let content = Data("an old repository's file".utf8)
            let source = scratch.appendingPathComponent("upload")
            try content.write(to: source)
            let file = try await legacy.create(from: source, expectedDigests: ["md5": try digest("md5", content)])
            #expect(file.digests == ["md5": try digest("md5", content), "sha256": try sha256(content)])

            // A store under the default policy still hands it back, checking what it allows.
            let current = try store(database, backend, folder: folder)
            let copy = scratch.appendingPathComponent("copy")
            try await current.copy(file.id, to: copy)
            #expect(try Data(contentsOf: copy) == content)
        }
    }

    @Test(arguments: cases)
    func cleanupDeletesOldFilesOnly(_ kind: TestDatabaseKind, _ backend: Backend) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfiles-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await withTaskDatabase(kind) { database in
            let files = try store(database, backend, folder: scratch.appendingPathComponent("store"))
            let source = scratch.appendingPathComponent("upload")
            try Data("hello".utf8).write(to: source)
            let old = try await files.create(from: source)
            let fresh = try await files.create(from: source)
            try await database.withConnection { connection in
                let p = connection.dialect.placeholder
                try connection.execute(
                    "UPDATE core_temporaryfile SET pulp_created = \(p(1)) WHERE pulp_id = \(p(2))",
                    [.timestamp(Date().addingTimeInterval(-7200)), .uuid(old.id)])
            }
            #expect(try await files.deleteOlder(than: .seconds(3600)) == 1)
            await #expect(throws: TaskNotFound.self) { try await files.file(old.id) }
            #expect(try await files.file(fresh.id) == fresh)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func tamperedContentsAreRefusedOnRead(_ kind: TestDatabaseKind) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfiles-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await withTaskDatabase(kind) { database in
            let files = try store(database, .database, folder: scratch)
            let source = scratch.appendingPathComponent("upload")
            try Data(repeating: 7, count: 2500).write(to: source)
            let file = try await files.create(from: source)
            try await database.withConnection { connection in
                let p = connection.dialect.placeholder
                try connection.execute(
                    "UPDATE core_temporaryfilechunk SET data = \(p(1)) WHERE file_id = \(p(2)) AND number = 1",
                    [.bytes(Array(repeating: 8, count: 1000)), .uuid(file.id)])
            }
            let destination = scratch.appendingPathComponent("copy")
            await #expect(throws: TemporaryFileError.self) { try await files.copy(file.id, to: destination) }
            #expect(!FileManager.default.fileExists(atPath: destination.path))
        }
    }
}
