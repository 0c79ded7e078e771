import Foundation
import TandemMigrations
import Testing

@Suite("Loading and ordering migration files")
struct FilesOrderingTests {
    static let header = "release: \"1.2.0\"\nphase: compatible\n"
    static let body = "operations:\n  - sql: {up: SELECT 1, phase: compatible}\n"

    @Test("files order by number within a component and by depends_on across components")
    func ordering() throws {
        let files = [
            "core/0001_initial.yaml": Self.header + Self.body,
            "core/0002_tasks.yaml": Self.header + Self.body,
            "core/0003_after_file.yaml": Self.header + "depends_on: [file/0001_initial]\n" + Self.body,
            "file/0001_initial.yaml": Self.header + "depends_on: [core/0002_tasks]\n" + Self.body,
            "ansible/0001_initial.yaml": Self.header + Self.body,
        ]
        let set = try TemporaryMigrations.with(files) { try MigrationLoader.load(directory: $0) }
        #expect(
            set.migrations.map(\.id.description) == [
                "ansible/0001_initial", "core/0001_initial", "core/0002_tasks", "file/0001_initial",
                "core/0003_after_file",
            ])
        #expect(set.components == ["ansible", "core", "file"])
        let after = try #require(set.migration(MigrationID(component: "core", number: 3, name: "after_file")))
        #expect(after.dependsOn.map(\.description) == ["core/0002_tasks", "file/0001_initial"])
        #expect(after.release == SemanticVersion(1, 2, 0))
        #expect(set.migrations(of: "core").map(\.id.number) == [1, 2, 3])
    }

    @Test("the order does not depend on the order files are found in")
    func deterministic() throws {
        let files = Dictionary(uniqueKeysWithValues: (1...6).map { ("c\($0)/0001_m.yaml", Self.header + Self.body) })
        let first = try TemporaryMigrations.with(files) { try MigrationLoader.load(directory: $0) }
        let migrations = first.migrations.shuffled()
        #expect(try MigrationSet(migrations).migrations == first.migrations)
    }

    @Test("a cycle of three is named in order")
    func cycleOfThree() throws {
        let files = [
            "a/0001_x.yaml": Self.header + "depends_on: [c/0001_x]\n" + Self.body,
            "b/0001_x.yaml": Self.header + "depends_on: [a/0001_x]\n" + Self.body,
            "c/0001_x.yaml": Self.header + "depends_on: [b/0001_x]\n" + Self.body,
            "d/0001_x.yaml": Self.header + Self.body,
        ]
        let error = try TemporaryMigrations.with(files) { folder in
            try #require(throws: MigrationFileErrors.self) { try MigrationLoader.load(directory: folder) }
        }
        #expect(error.errors.map(\.message) == ["dependency cycle: a/0001_x → c/0001_x → b/0001_x → a/0001_x"])
        #expect(error.errors.map(\.line) == [3])
    }

    @Test("the checksum is the SHA-256 of the file's bytes")
    func checksum() throws {
        let text = Self.header + Self.body
        let checksums = try [text, text + "# changed\n"].map { text in
            try TemporaryMigrations.with(["core/0001_a.yaml": text]) {
                try MigrationLoader.load(directory: $0).migrations[0].checksum
            }
        }
        #expect(checksums[0].count == 64 && checksums[0].allSatisfy(\.isHexDigit))
        #expect(checksums[0] != checksums[1])
        let known = try TemporaryMigrations.with([
            "core/0001_a.yaml":
                "release: \"1.0.0\"\nphase: compatible\noperations: [{drop_index: {table: t, name: i}}]\n"
        ]) {
            try MigrationLoader.load(directory: $0).migrations[0].checksum
        }
        // What `sha256sum` prints for the same bytes.
        #expect(known == "57a1638fadb428cac58b0ea5a2b51d55f4263147398cafee8d4e0d23045099a8")
    }

    @Test("one file can be loaded alone: its dependencies next to it count as present")
    func singleFile() throws {
        let files = [
            "core/0001_initial.yaml": Self.header + Self.body,
            "core/0002_next.yaml": Self.header + "depends_on: [file/0001_initial]\n" + Self.body,
            "file/0001_initial.yaml": Self.header + Self.body,
        ]
        let set = try TemporaryMigrations.with(files) { try MigrationLoader.load(paths: [$0 + "/core/0002_next.yaml"]) }
        #expect(set.migrations.map(\.id.description) == ["core/0002_next"])
        #expect(set.migrations[0].dependsOn.map(\.description) == ["core/0001_initial", "file/0001_initial"])
    }
}
