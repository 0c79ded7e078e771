import Foundation
import TandemMigrations

/// The committed record of released tasks that `tandem tasks check` compares the registry
/// with: each task's owning plugin, the plugin version it was recorded at, and its argument
/// schema. JSON, keys sorted, so changes read well in review.
public struct ReleasedTasks: Sendable, Hashable, Codable {
    /// One released task.
    public struct Entry: Sendable, Hashable, Codable {
        /// The owning plugin.
        public var plugin: String
        /// The plugin's version when the entry was recorded.
        public var version: String
        /// The arguments' schema.
        public var arguments: [String: ArgumentSchema.Field]
    }

    /// Task name → entry.
    public var tasks: [String: Entry]

    /// The record of every task in `registry`, as a release would commit it.
    public init(registry: TaskRegistry) {
        tasks = registry.definitions.mapValues {
            Entry(plugin: $0.owner.plugin, version: $0.owner.version.description, arguments: $0.schema.fields)
        }
    }

    /// Reads a record file.
    ///
    /// - Throws: ``TaskRecordFileError`` naming the file when it cannot be read or parsed.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TaskRecordFileError(path: url.path, message: "cannot read it: \(error.localizedDescription)")
        }
        do {
            self = try JSONDecoder().decode(ReleasedTasks.self, from: data)
        } catch let error as DecodingError {
            throw TaskRecordFileError(path: url.path, message: TaskQueue.describe(error))
        }
    }

    /// The record as JSON text, keys sorted, with a final newline.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The incompatible changes from this record to `registry`: a released task that
    /// disappeared, or whose arguments lost a field (removed or renamed), gained a required one,
    /// made an optional one required or changed a field's type, unless the owning plugin's
    /// major version went up since the record.
    public func incompatibilities(with registry: TaskRegistry) -> [String] {
        var problems: [String] = []
        for (name, released) in tasks.sorted(by: { $0.key < $1.key }) {
            let releasedMajor = SemanticVersion(released.version)?.major ?? 0
            guard let current = registry[name] else {
                let plugin = registry.definitions.values.first { $0.owner.plugin == released.plugin }
                if let plugin, plugin.owner.version.major > releasedMajor { continue }
                problems.append("task '\(name)' was released in \(released.plugin) \(released.version) and is gone")
                continue
            }
            guard current.owner.version.major <= releasedMajor else { continue }
            let now = current.schema.fields
            for (field, before) in released.arguments.sorted(by: { $0.key < $1.key }) {
                guard let after = now[field] else {
                    problems.append("task '\(name)': argument '\(field)' was removed or renamed")
                    continue
                }
                if after.type != before.type {
                    problems.append(
                        "task '\(name)': argument '\(field)' changed type from \(before.type) to \(after.type)")
                }
                if after.required && !before.required {
                    problems.append("task '\(name)': argument '\(field)' became required")
                }
            }
            for (field, after) in now.sorted(by: { $0.key < $1.key })
            where after.required && released.arguments[field] == nil {
                problems.append("task '\(name)': new argument '\(field)' is required")
            }
        }
        return problems
    }
}

/// The record of released tasks cannot be read.
public struct TaskRecordFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What is wrong.
    public let message: String
    /// `released-tasks.json: …`.
    public var description: String { "\(path): \(message)" }
}
