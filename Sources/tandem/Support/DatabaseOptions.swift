import ArgumentParser
import Foundation
import TandemDatabase

/// The `--database URL` option every command that talks to a database takes.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database URL.",
            discussion: """
                postgres://user:pass@host:port/db (also postgresql://, and ?host=/socket/dir), \
                sqlite:relative/path, sqlite:///absolute/path or sqlite::memory:. \
                Default: $\(DatabaseURL.environmentVariable), else database_url in the settings file \
                ($TANDEM_SETTINGS, else /etc/tandem/settings.yaml), else \(DatabaseURL.embeddedDefault) \
                in the working directory.
                """,
            valueName: "url"
        )
    )
    var database: String?

    /// The URL from the flag, else `TANDEM_DATABASE_URL`, else the settings' `database_url`: the
    /// settings file's, else the embedded default (the built-in settings hold it).
    ///
    /// - Throws: ``DatabaseURLError`` for a malformed flag or variable; ``SettingsError`` (exit 2,
    ///   naming the file and line) when the settings do not load or validate.
    func url() throws -> DatabaseURL {
        var environment = ProcessInfo.processInfo.environment
        if database != nil || !(environment[DatabaseURL.environmentVariable] ?? "").isEmpty {
            return try DatabaseURL.resolve(flag: database, environment: environment)
        }
        // An empty variable counts as unset, as above, rather than as an empty setting.
        environment[DatabaseURL.environmentVariable] = nil
        let settings = try ExampleApplication.assemble().loadSettings(file: nil, environment: environment)
        return try DatabaseURL(settings.string("database_url"))
    }

    /// Opens the database, with the URL (password hidden) in the error when it cannot.
    func open(maximumConnections: Int? = nil) throws -> Database {
        let url = try url()
        do {
            return try Database(url: url, maximumConnections: maximumConnections)
        } catch {
            throw CommandFailure(context: "cannot open the database \(url)", underlying: error)
        }
    }
}
