import TandemApp
import TandemFile

/// The application `tandem` runs: the core plugin and the file plugin.
enum ExampleApplication {
    /// Assembles it; a conflict between its plugins is an ``ApplicationError`` (exit 2).
    static func assemble() throws -> Application {
        try Application(plugins: [CorePlugin(), FilePlugin()])
    }
}
