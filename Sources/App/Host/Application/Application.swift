import Foundation
import TandemMigrations
import TandemORM

/// An application: the plugins it loads, in order, checked to fit together.
///
/// Assembling one checks, and reports every problem at once with both sides named
/// (``ApplicationError``): labels must be unique, each plugin's `requires` must be met by a
/// loaded plugin within its ``VersionRange``, no two models may store rows in one table, and no
/// two detail models under one master may share a `pulp_type`. Then it registers the detail models
/// in ``models`` for casting.
///
/// ```swift
/// let application = try Application(plugins: [CorePlugin(), FilePlugin()])
/// application.componentVersions        // ["core": 1.0.0, "file": 1.0.0], for the heartbeat
/// let (migrations, warnings) = try application.loadMigrations()
/// ```
public struct Application: Sendable {
    /// The plugins, in load order (the order settings defaults are layered in).
    public let plugins: [any Plugin]
    /// The detail models of every plugin, for `MasterModel.cast(on:registry:)`.
    public let models: ModelRegistry

    /// Assembles an application from `plugins`, in load order.
    /// - Throws: ``ApplicationError`` listing every conflict; nothing is registered then.
    public init(plugins: [any Plugin]) throws(ApplicationError) {
        var problems = Self.labelProblems(plugins) + Self.requirementProblems(plugins)
        problems += ModelClaims.problems(plugins)
        for plugin in plugins {
            if let folder = plugin.migrationsFolder, !Self.isFolder(folder) {
                problems.append(.missingMigrations(plugin: Self.describe(plugin), folder: folder.path))
            }
        }
        guard problems.isEmpty else { throw ApplicationError(problems: problems) }
        let registry = ModelRegistry()
        for plugin in plugins {
            for case let detail as any DetailModel.Type in plugin.models {
                do {
                    try registry.register(detail)
                } catch {
                    preconditionFailure("ModelClaims missed a conflict: \(error)")
                }
            }
        }
        self.plugins = plugins
        self.models = registry
    }

    /// Each plugin's label → its version: what a process reports in `tandem_components`, so the
    /// gates of breaking migrations see the releases it runs.
    public var componentVersions: [String: SemanticVersion] {
        Dictionary(plugins.map { ($0.label, $0.version) }, uniquingKeysWith: { first, _ in first })
    }

    /// The plugin with `label`, if loaded.
    public func plugin(_ label: String) -> (any Plugin)? {
        plugins.first { $0.label == label }
    }

    /// A registration for `tandem_components` describing this process: its kind (`api`,
    /// `worker`) and ``componentVersions``.
    public func registration(kind: String) -> ComponentRegistration {
        ComponentRegistration(kind: kind, versions: componentVersions)
    }

    /// `file (Tandem File 1.0.0)`.
    static func describe(_ plugin: any Plugin) -> String {
        "\(plugin.label) (\(plugin.name) \(plugin.version))"
    }

    private static func labelProblems(_ plugins: [any Plugin]) -> [ApplicationProblem] {
        var problems: [ApplicationProblem] = []
        var seen: [String: any Plugin] = [:]
        for plugin in plugins {
            if !MigrationID.isComponentName(plugin.label) {
                problems.append(.invalidLabel(label: plugin.label, plugin: "\(plugin.name) \(plugin.version)"))
            }
            if let first = seen[plugin.label] {
                problems.append(
                    .duplicateLabel(
                        label: plugin.label, first: "\(first.name) \(first.version) (\(type(of: first)))",
                        second: "\(plugin.name) \(plugin.version) (\(type(of: plugin)))"))
            } else {
                seen[plugin.label] = plugin
            }
        }
        return problems
    }

    private static func requirementProblems(_ plugins: [any Plugin]) -> [ApplicationProblem] {
        let byLabel = Dictionary(plugins.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [ApplicationProblem] = []
        for plugin in plugins {
            for (label, range) in plugin.requires.sorted(by: { $0.key < $1.key }) {
                guard let required = byLabel[label] else {
                    problems.append(.missingRequirement(plugin: describe(plugin), requires: label, range: range))
                    continue
                }
                if !range.contains(required.version) {
                    problems.append(
                        .versionOutOfRange(
                            plugin: describe(plugin), requires: label, range: range, found: required.version))
                }
            }
        }
        return problems
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
