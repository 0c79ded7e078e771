import ArgumentParser
import Foundation
import TandemApp
import TandemHTTP

/// `tandem proxy-config nginx|apache [--output FILE]`: the reverse-proxy snippets for the API
/// root, the content root and every plugin route.
struct ProxyConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy-config",
        abstract: "Write reverse-proxy snippets (nginx or Apache) for the API, the content app and every plugin route.",
        discussion: """
            The paths come from the settings `api_root` and `content_path_prefix` and from the plugins' \
            routes; the upstreams are named pulp-api (tandem serve) and pulp-content (the content app), as \
            pulpcore's snippets name them. Needs no database. Exit codes: 0 written; 1 the output file cannot \
            be written; 2 invalid settings or a path a proxy configuration cannot carry.
            """
    )

    @Argument(help: ArgumentHelp("The reverse proxy: nginx or apache.", valueName: "server"))
    var server: ProxySnippets.Server

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var settings: SettingsOptions

    func run() throws {
        let application = try ExampleApplication.assemble()
        let host = try settings.loader().load()
        let routes = API.plugins(of: application).flatMap(\.routes)
        let snippets: ProxySnippets
        do {
            snippets = try ProxySnippets(
                apiRoot: try host.string("api_root"), contentRoot: try host.string("content_path_prefix"),
                routes: routes)
        } catch let error as ProxySnippetError {
            throw ProxyConfigError(message: "\(error)", isBadInput: true)
        }
        let text = snippets.render(server)
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw ProxyConfigError(message: "cannot write \(output): \(error.localizedDescription)", isBadInput: false)
        }
    }
}

extension ProxySnippets.Server: ExpressibleByArgument {}

/// `tandem proxy-config` could not write its snippets.
struct ProxyConfigError: Error, CustomStringConvertible {
    /// What went wrong, naming the path or file.
    let message: String
    /// Whether the input (a setting) is wrong (exit 2) rather than the output file (exit 1).
    let isBadInput: Bool

    var description: String { "proxy-config: \(message)" }
}
