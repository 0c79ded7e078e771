import ArgumentParser
import Foundation
import TandemApp

/// The `--settings PATH` option every command that loads settings takes.
struct SettingsOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The settings file (YAML).",
            discussion: """
                Default: $\(SettingsLoader.fileVariable), else \(SettingsLoader.systemFile) when it exists. \
                TANDEM_<KEY> environment variables (__ between nested keys) override the file.
                """,
            valueName: "path"
        )
    )
    var settings: String?

    /// The loader for the application's plugins, this file and the process's environment.
    func loader() -> SettingsLoader {
        SettingsLoader(
            plugins: applicationPluginSettings(), file: settings, environment: ProcessInfo.processInfo.environment)
    }
}
