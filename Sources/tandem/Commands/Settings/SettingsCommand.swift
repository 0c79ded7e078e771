import ArgumentParser

/// `tandem settings`: the effective settings and their validation.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or check the effective settings.",
        discussion: """
            Layers, later wins: built-in defaults < plugin defaults (load order) < the settings file \
            < TANDEM_<KEY> environment variables. Secrets are shown as ***.
            """,
        subcommands: [SettingsShowCommand.self, SettingsCheckCommand.self]
    )
}
