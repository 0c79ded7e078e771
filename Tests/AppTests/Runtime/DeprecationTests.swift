import Logging
import Synchronization
import TandemApp
import Testing

/// A swift-log handler that keeps what it is given, as swift-log's own `InMemoryLogging` does;
/// its level is the logger's, which is what the setting controls.
final class CapturingLogHandler: LogHandler, Sendable {
    struct Entry: Sendable, Equatable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let state = Mutex<(entries: [Entry], level: Logger.Level, metadata: Logger.Metadata)>(([], .info, [:]))

    var entries: [Entry] { state.withLock { $0.entries } }

    var logLevel: Logger.Level {
        get { state.withLock { $0.level } }
        set { state.withLock { $0.level = newValue } }
    }

    var metadata: Logger.Metadata {
        get { state.withLock { $0.metadata } }
        set { state.withLock { $0.metadata = newValue } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let entry = Entry(
            level: event.level, message: event.message.description,
            metadata: (event.metadata ?? [:]).mapValues { "\($0)" })
        state.withLock { $0.entries.append(entry) }
    }

    /// A logger labelled `label` that writes here.
    func logger(_ label: String) -> Logger { Logger(label: label, factory: { _ in self }) }
}

/// No database is involved: the deprecation logger only logs.
@Suite("Deprecation logger")
struct DeprecationTests {
    @Test func warnsWithTheReleaseThatRemovesIt() {
        let capture = CapturingLogHandler()
        let deprecation = Deprecation(level: .warning, logger: capture.logger(Deprecation.label))
        deprecation.warn("Remote.downloadConcurrency", removedIn: "3.0.0", component: "core", use: "Remote.concurrency")
        deprecation.warn("file.legacyHook", removedIn: "2.0.0", component: "file")
        #expect(
            capture.entries == [
                .init(
                    level: .warning,
                    message:
                        "Remote.downloadConcurrency is deprecated and will be removed in core 3.0.0; use Remote.concurrency instead",
                    metadata: ["component": "core", "removed_in": "3.0.0"]),
                .init(
                    level: .warning, message: "file.legacyHook is deprecated and will be removed in file 2.0.0",
                    metadata: ["component": "file", "removed_in": "2.0.0"]),
            ])
        #expect(deprecation.logger.label == "tandem.deprecation")
    }

    @Test(arguments: [
        (Logger.Level.error, false), (.critical, false), (.warning, true), (.info, true), (.debug, true),
    ])
    func theLevelSettingDecidesWhetherWarningsShow(_ level: Logger.Level, shown: Bool) {
        let capture = CapturingLogHandler()
        let deprecation = Deprecation(level: level, logger: capture.logger(Deprecation.label))
        deprecation.warn("old", removedIn: "9.0.0", component: "core")
        #expect(capture.entries.count == (shown ? 1 : 0))
    }

    @Test func theSharedLoggerFollowsConfigure() {
        let capture = CapturingLogHandler()
        Deprecation.configure(level: .error, logger: capture.logger(Deprecation.label))
        Deprecation.warn("silenced", removedIn: "2.0.0", component: "core")
        #expect(capture.entries.isEmpty)
        Deprecation.configure(level: .warning, logger: capture.logger(Deprecation.label))
        Deprecation.warn("shown", removedIn: "2.0.0", component: "core")
        #expect(capture.entries.map(\.message) == ["shown is deprecated and will be removed in core 2.0.0"])
        #expect(Deprecation.shared.logger.logLevel == .warning)
    }
}
