import Foundation
import TandemMigrations
import TandemTasks
import Testing

@Suite("Task compatibility")
struct CompatibilityTests {
    struct Before: Codable, Sendable {
        var remote: String
        var mirror: Bool?
        var depth: Int
    }

    struct Compatible: Codable, Sendable {
        var remote: String
        var mirror: Bool?
        var depth: Int
        var label: String?
    }

    struct Incompatible: Codable, Sendable {
        var remoteID: String
        var mirror: Bool
        var depth: String
        var policy: Policy
    }

    enum Policy: String, Codable, Sendable, CaseIterable { case immediate, lazy }

    private func registry<Arguments: Codable & Sendable>(_ type: Arguments.Type, version: SemanticVersion) throws
        -> TaskRegistry
    {
        var registry = TaskRegistry()
        try registry.register("file.sync", owner: TaskOwner(plugin: "file", version: version), arguments: type) {
            _, _ in
        }
        return registry
    }

    @Test
    func schemaIsReadFromTheCodableArguments() {
        let schema = ArgumentSchema(of: Incompatible.self)
        #expect(
            schema.fields == [
                "remoteID": .init(type: "string", required: true), "mirror": .init(type: "boolean", required: true),
                "depth": .init(type: "string", required: true), "policy": .init(type: "string", required: true),
            ])
        #expect(
            ArgumentSchema(of: CoreTasks.SleepArguments.self).fields == [
                "seconds": .init(type: "number", required: true)
            ])
        #expect(ArgumentSchema(of: Before.self).fields["mirror"] == .init(type: "boolean", required: false))
    }

    @Test
    func compatibleChangesPassAndIncompatibleOnesAreNamed() throws {
        let released = ReleasedTasks(registry: try registry(Before.self, version: SemanticVersion(1, 0, 0)))
        #expect(
            released.incompatibilities(with: try registry(Compatible.self, version: SemanticVersion(1, 1, 0))) == [])
        let problems = released.incompatibilities(
            with: try registry(Incompatible.self, version: SemanticVersion(1, 1, 0)))
        #expect(
            problems == [
                "task 'file.sync': argument 'depth' changed type from integer to string",
                "task 'file.sync': argument 'mirror' became required",
                "task 'file.sync': argument 'remote' was removed or renamed",
                "task 'file.sync': new argument 'policy' is required",
                "task 'file.sync': new argument 'remoteID' is required",
            ])
        // A major version allows it.
        #expect(
            released.incompatibilities(with: try registry(Incompatible.self, version: SemanticVersion(2, 0, 0))).isEmpty
        )
        // A released task that disappears.
        var other = TaskRegistry()
        try other.register(
            "file.other", owner: TaskOwner(plugin: "file", version: SemanticVersion(1, 1, 0)), arguments: Before.self
        ) { _, _ in }
        #expect(released.incompatibilities(with: other) == ["task 'file.sync' was released in file 1.0.0 and is gone"])
    }

    @Test
    func recordRoundTripsThroughItsFile() throws {
        let released = ReleasedTasks(registry: .core)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("released-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(try released.json().utf8).write(to: url)
        #expect(try ReleasedTasks(contentsOf: url) == released)
        try Data(#"{"tasks": {"core.noop": {"plugin": "core"}}}"#.utf8).write(to: url)
        let error = #expect(throws: TaskRecordFileError.self) { try ReleasedTasks(contentsOf: url) }
        #expect(error?.description == "\(url.path): 'tasks.core.noop.version' is required")
    }
}
