import TandemDatabase
import Testing

@Suite("tandem --help, --version and usage errors")
struct HelpAndVersionTests {
    @Test func helpListsTheCommandsAndExitCodes() throws {
        let run = try TandemProcess.run(["--help"])
        #expect(run.status == 0, "\(run)")
        #expect(run.errors == "")
        #expect(run.output.hasPrefix("OVERVIEW: Zero-downtime (rolling-upgrade) database migrations"))
        #expect(run.output.contains("USAGE: tandem <subcommand>"))
        #expect(run.output.contains("db                      Check the database connection."))
        #expect(run.output.contains("--version"))
        #expect(run.output.contains("2 bad input"))
    }

    @Test func checkHelpNamesEveryURLForm() throws {
        let run = try TandemProcess.run(["db", "check", "--help"])
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("USAGE: tandem db check [--database <url>]"))
        // The help text wraps lines; compare it with the breaks taken out.
        let text = run.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for form in [
            "postgres://user:pass@host:port/db", "postgresql://", "?host=/socket/dir", "sqlite:relative/path",
            "sqlite:///absolute/path", "sqlite::memory:", "$TANDEM_DATABASE_URL", "sqlite:tandem.sqlite3",
        ] {
            #expect(text.contains(form), "help lacks \(form)")
        }
    }

    @Test func migrateHelpExplainsTheLockWaitTradeOff() throws {
        let run = try TandemProcess.run(["migrate", "--help"])
        #expect(run.status == 0, "\(run)")
        let text = run.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("--ddl-lock-timeout <seconds>"))
        #expect(text.contains("(default: 0.15)"))
        #expect(text.contains("--ddl-retry-for <seconds>"))
        #expect(text.contains("(default: 600.0)"))
        #expect(text.contains("--ddl-retry-delay <seconds>"))
        #expect(text.contains("--concurrent-wait <seconds>"))
        #expect(text.contains("stalls every writer that long"))
    }

    @Test func versionPrintsThePackageVersion() throws {
        let run = try TandemProcess.run(["--version"])
        #expect(run.status == 0, "\(run)")
        #expect(run.output == tandemVersion + "\n")
        #expect(run.errors == "")
        let parts = tandemVersion.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil }, "not a semantic version: \(tandemVersion)")
    }

    @Test(arguments: [
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
        (["db", "frobnicate"], "Unexpected argument 'frobnicate'"),
        (["db", "check", "--bogus"], "Unknown option '--bogus'"),
        (["db", "check", "--database"], "Missing value for '--database <url>'"),
    ])
    func usageErrorsExitWithTwo(arguments: [String], message: String) throws {
        let run = try TandemProcess.run(arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.output == "")
        #expect(run.errors.contains("Error: \(message)"), "\(run)")
        #expect(run.errors.contains("Usage: tandem"), "\(run)")
    }
}
