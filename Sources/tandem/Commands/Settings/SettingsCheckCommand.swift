import ArgumentParser
import TandemApp

/// `tandem settings check`: loads every layer and runs every validator; exit 0, or 2 with
/// every problem.
struct SettingsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the settings: exit 0 when valid, 2 with every problem (key, layer, line) otherwise."
    )

    @OptionGroup var options: SettingsOptions

    func run() throws {
        let settings = try options.loader().load()
        print("settings are valid (settings file: \(settings.file ?? "none"))")
    }
}
