import ArgumentParser
import Foundation
import Logging
import TandemTasks

/// `tandem worker [--burst]`: runs tasks.
///
/// The command supervises a worker process of its own (`tandem worker --serve`): when a task
/// crashes that process (a trap, SIGKILL), the supervisor marks the task failed with the cause,
/// which frees its reservations, and starts a new worker process, so the worker keeps serving.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a task worker.",
        discussion: """
            Registers a `worker` process (heartbeats in tandem_components) and runs tasks one at a time, \
            each in a clean folder inside TANDEM_WORKING_DIRECTORY. SIGTERM or Ctrl-C lets the running \
            task finish, then exits 0; a second signal stops at once (the task is marked failed) and \
            exits 1. A task that crashes the worker process is marked failed and a new process serves on.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Run every runnable task, then exit 0.")
    var burst = false

    @Flag(help: .hidden)
    var serve = false

    func run() async throws {
        if serve {
            try await WorkerProcess.serve(database: database, burst: burst)
        } else {
            try await WorkerSupervisor(database: database, burst: burst).run()
        }
    }
}
