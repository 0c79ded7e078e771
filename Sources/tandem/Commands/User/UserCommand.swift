import ArgumentParser
import Foundation
import TandemHTTP

/// `tandem user create|set-password|token`: the API's users.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the API's users.",
        subcommands: [UserCreateCommand.self, UserSetPasswordCommand.self, UserTokenCommand.self]
    )
}

/// The password options of `user create` and `user set-password`.
struct PasswordOptions: ParsableArguments {
    @Flag(name: .long, help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    /// The password: standard input's first line with `--password-stdin`, else a prompt on the
    /// terminal (without echo).
    func read() async throws -> String {
        let fromStdin = passwordStdin
        guard fromStdin || isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("no terminal to prompt for the password on: pass --password-stdin")
        }
        let password = try await OffPool.run { () -> String? in
            if fromStdin { return readLine(strippingNewline: true) }
            return getpass("Password: ").map { String(cString: $0) }
        }
        guard let password else { throw ValidationError("no password given on standard input") }
        return password
    }
}

/// `tandem user create NAME [--admin] [--password-stdin]`.
struct UserCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a user (bcrypt-hashed password); --admin may write.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The user name.") var name: String
    @Flag(name: .long, help: "Let the user write (create, change, delete).") var admin = false
    @OptionGroup var password: PasswordOptions

    func run() async throws {
        try UserStore.check(name: name)
        let secret = try await password.read()
        let database = try self.database.open(maximumConnections: 1)
        defer { database.close() }
        try await UserStore(database: database).create(name: name, password: secret, isAdmin: admin)
        print("created user \(name)\(admin ? " (admin)" : "")")
    }
}

/// `tandem user set-password NAME [--password-stdin]`.
struct UserSetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password", abstract: "Set a user's password; the API forgets the old one at once.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The user name.") var name: String
    @OptionGroup var password: PasswordOptions

    func run() async throws {
        let secret = try await password.read()
        let database = try self.database.open(maximumConnections: 1)
        defer { database.close() }
        try await UserStore(database: database).setPassword(name: name, password: secret)
        print("password of \(name) changed")
    }
}

/// `tandem user token NAME`: issues a bearer token and prints it once.
struct UserTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue a bearer token for a user; it is printed once and stored hashed.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The user name.") var name: String

    func run() async throws {
        let database = try self.database.open(maximumConnections: 1)
        defer { database.close() }
        print(try await UserStore(database: database).issueToken(name: name))
    }
}
