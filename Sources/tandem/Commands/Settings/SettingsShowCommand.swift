import ArgumentParser
import Foundation
import TandemApp

/// `tandem settings show [--json] [KEY]`: each effective value and where it came from.
struct SettingsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the effective settings and the layer each came from.",
        discussion: """
            Prints the values even when validators fail, then reports the failures and exits 2. \
            A file that cannot be read or parsed prints nothing and exits 2.
            """
    )

    @OptionGroup var options: SettingsOptions

    @Flag(name: .long, help: "Print JSON, for scripts.")
    var json = false

    @Argument(
        help: ArgumentHelp(
            "Only this setting (and those under it), like process_ttl or logging.loggers.\"tandem.deprecation\".level.",
            valueName: "key"))
    var key: String?

    func run() throws {
        let loader = options.loader()
        let settings = try loader.merged()
        let entries = try settings.entries(under: key)
        print(try json ? SettingsPrinter.json(entries, file: settings.file) : SettingsPrinter.text(entries))
        let problems = loader.problems(in: settings)
        if !problems.isEmpty { throw SettingsError(problems: problems) }
    }
}
