import Foundation
import TandemApp
import TandemTasks

extension FilePlugin: TaskProvider {
    /// `file.tasks.synchronize`.
    public static let synchronizeTask = "file.tasks.synchronize"

    /// The largest manifest a sync reads when the settings give no other value (the default of
    /// `file.max_manifest_size`).
    public static let defaultMaxManifestSize = 10_485_760

    /// Registers `file.tasks.synchronize` (``SyncArguments``): reads the remote's
    /// `PULP_MANIFEST` and records its files in a new version of the repository. Dispatch it with
    /// the repository reserved exclusively and the remote shared.
    public static func registerTasks(in registry: inout TaskRegistry) throws {
        try registerTasks(in: &registry, maxManifestSize: defaultMaxManifestSize)
    }

    /// Registers `file.tasks.synchronize` reading at most `file.max_manifest_size` bytes of a
    /// manifest (the application's settings).
    public static func registerTasks(in registry: inout TaskRegistry, settings: Settings) throws {
        try registerTasks(in: &registry, maxManifestSize: try settings.int("file.max_manifest_size"))
    }

    /// Registers the plugin's tasks with a manifest size limit (setting `file.max_manifest_size`).
    public static func registerTasks(in registry: inout TaskRegistry, maxManifestSize: Int) throws {
        let owner = TaskOwner(plugin: FilePlugin().label, version: FilePlugin().version)
        try registry.register(synchronizeTask, owner: owner, arguments: SyncArguments.self) { arguments, context in
            let download = ManifestDownload(maximumSize: maxManifestSize, timeout: 60)
            _ = try await FileSynchronizer(context: context, download: download).run(arguments)
        }
    }
}
