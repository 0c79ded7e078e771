import TandemApp
import Testing

@testable import tandem

@Suite("Plugins that do not fit together stop the CLI with exit 2")
struct PluginsExitStatusTests {
    @Test("an ApplicationError is bad input, and its message names both sides")
    func applicationErrorIsBadInput() {
        let error = #expect(throws: ApplicationError.self) {
            _ = try Application(plugins: [CorePlugin(), CorePlugin()])
        }
        guard let error else { return }
        #expect(ExitStatus(for: error) == .badInput)
        #expect(ExitStatus(for: CommandFailure(context: "starting", underlying: error)) == .badInput)
        #expect(
            Tandem.fullMessage(for: error).contains(
                "label 'core' is used by two plugins: Tandem core 1.0.0 (CorePlugin) and Tandem core 1.0.0 (CorePlugin)"
            ))
    }
}
