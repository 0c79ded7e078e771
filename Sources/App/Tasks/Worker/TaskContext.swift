import Foundation
import TandemDatabase

/// What a running task gets: its identity, its own clean working directory and the database.
///
/// The directory is empty when the task starts and removed when it ends, whatever the outcome;
/// the task may make more temporary directories inside it (``makeTemporaryDirectory()``).
public struct TaskContext: Sendable {
    /// The running task.
    public let taskID: UUID
    /// Its registered name.
    public let name: String
    /// Its working directory, inside the worker's directory (`working_directory`).
    public let workingDirectory: URL
    /// The application's database.
    public let database: Database

    /// The context of the task running in the current Swift task, if any.
    @TaskLocal public static var current: TaskContext?

    /// Makes a fresh directory inside the working directory, removed with it.
    public func makeTemporaryDirectory() throws -> URL {
        let directory = workingDirectory.appendingPathComponent("tmp-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        return directory
    }

    /// Creates a progress report of this task (`message`, `code`, optional `total`).
    @discardableResult
    public func addProgressReport(message: String, code: String, total: Int? = nil) async throws -> ProgressReport {
        try await ProgressReport.create(
            owner: .task(taskID), message: message, code: code, total: total, on: database)
    }

    /// Adds `count` to this task's report `code` in the database (`done = done + count`).
    public func increment(_ code: String, by count: Int = 1) async throws {
        try await ProgressReport.increment(owner: .task(taskID), code: code, by: count, on: database)
    }
}
