/// A dispatch was refused before anything was stored: an unknown task, bad arguments, or
/// neither `immediate` nor `deferred`. Bad input (exit code 2, HTTP 400).
public struct TaskDispatchError: Error, Sendable, CustomStringConvertible {
    /// The task named in the dispatch.
    public let task: String
    /// What is wrong.
    public let message: String
    /// `task 'core.sleep': …`.
    public var description: String { "task '\(task)': \(message)" }
}

/// A task's arguments are invalid for what it does; thrown by the task itself.
public struct TaskArgumentError: Error, Sendable, CustomStringConvertible {
    /// The task.
    public let task: String
    /// What is wrong.
    public let message: String

    /// Creates the error.
    public init(task: String, message: String) {
        self.task = task
        self.message = message
    }

    /// `task 'core.sleep': …`.
    public var description: String { "task '\(task)': \(message)" }
}

/// No task or group has the identifier asked for.
public struct TaskNotFound: Error, Sendable, CustomStringConvertible {
    /// What was looked for (`task 1234…`).
    public let what: String
    /// `no task 1234…`.
    public var description: String { "no \(what)" }
}
