import ArgumentParser

/// `tandem db check`: connects and prints the database, its dialect and its server version.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Connect to the database and print its dialect and server version.",
        discussion: "Exits with 1 when the database cannot be reached, 2 when the URL is invalid."
    )

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let database = try options.open(maximumConnections: 1)
        defer { database.close() }
        let version = try await database.withConnection { $0.serverVersion() }
        print("database: \(database.url)")
        print("dialect: \(database.dialect)")
        print("version: \(version)")
    }
}
