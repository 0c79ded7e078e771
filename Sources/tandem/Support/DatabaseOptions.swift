import ArgumentParser
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
                Default: $\(DatabaseURL.environmentVariable), else \(DatabaseURL.embeddedDefault) \
                in the working directory.
                """,
            valueName: "url"
        )
    )
    var database: String?

    /// The URL from the flag, else the environment, else the embedded default.
    func url() throws -> DatabaseURL {
        try DatabaseURL.resolve(flag: database)
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
