import Foundation

/// A registered task: its stable name, the plugin that owns it, the schema of its arguments and
/// the code that runs it.
public struct TaskDefinition: Sendable {
    /// The stable name dispatch uses (`core.sleep`, `file.tasks.synchronize`).
    public let name: String
    /// The plugin that registered it, with its version.
    public let owner: TaskOwner
    /// Its arguments' schema, as `tandem tasks check` compares it.
    public let schema: ArgumentSchema
    /// Decodes the arguments (checking them) and runs the task.
    let run: @Sendable (Data, TaskContext) async throws -> Void
    /// Decodes the arguments only, to refuse bad ones at dispatch.
    let check: @Sendable (Data) throws -> Void
}
