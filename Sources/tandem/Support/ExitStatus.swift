import ArgumentParser
import Foundation
import TandemApp
import TandemDatabase
import TandemHTTP
import TandemMigrations
import TandemTasks

/// DESIGN.md's exit codes, and the one place where errors become them.
enum ExitStatus: Int32 {
    /// The command did what it was asked.
    case done = 0
    /// It failed at run time, with nothing half-applied (a database that cannot be reached).
    case failed = 1
    /// The input is wrong: usage, an invalid file or setting (a malformed database URL).
    case badInput = 2
    /// It refused for safety: a gate, a changed applied migration, a lock held by another runner.
    case refused = 3

    /// The status a command ends with when it throws `error`.
    init(for error: any Error) {
        switch error {
        case is DatabaseURLError, is LintFailure, is MigrationFileErrors, is MigrationFileError, is OperationError,
            is MigrationRequestError, is ApplicationError,
            is SettingsError, is TaskDispatchError, is TaskRegistrationError,
            is TaskRecordFileError:
            self = .badInput
        case is MigrationRefusal, is ServeRefusal:
            self = .refused
        case is MigrationFailure, is BackfillInterrupted, is BackfillError, is MigrationInterrupted:
            self = .failed
        case let error as DatabaseError:
            switch error.kind {
            case .connection, .statement, .decoding: self = .failed
            }
        case let error as UserError:
            self = error.isBadInput ? .badInput : .failed
        case let error as ProxyConfigError:
            self = error.isBadInput ? .badInput : .failed
        case let error as CommandFailure:
            self.init(for: error.underlying)
        default:
            // Argument parsing, `--help` and `--version` end here.
            switch Tandem.exitCode(for: error) {
            case .success: self = .done
            case .validationFailure: self = .badInput
            case let code: self = ExitStatus(rawValue: code.rawValue) ?? .failed
            }
        }
    }

    /// Prints what `error` says (help and version to standard output, everything else to
    /// standard error) and exits with its status.
    static func exit(reporting error: any Error) -> Never {
        let status = ExitStatus(for: error)
        let message = Tandem.fullMessage(for: error)
        if !message.isEmpty {
            if status == .done {
                print(message)
            } else {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
        }
        Foundation.exit(status.rawValue)
    }
}

/// An error with what the command was doing when it happened, for a message that makes sense
/// on its own: `cannot open the database postgres://…: PostgreSQL error: cannot connect: …`.
struct CommandFailure: Error, CustomStringConvertible {
    /// What the command was doing.
    let context: String
    /// What went wrong; it decides the exit status.
    let underlying: any Error

    var description: String { "\(context): \(underlying)" }
}
