import Logging
import Synchronization

/// The `tandem.deprecation` logger: what plugins call when code uses an interface that a later
/// release removes, like pulpcore's `pulpcore.deprecation` logger.
///
/// ```swift
/// Deprecation.warn(
///     "Remote.downloadConcurrency", removedIn: "3.0.0", component: "core", use: "Remote.concurrency")
/// // warning: Remote.downloadConcurrency is deprecated and will be removed in core 3.0.0; use Remote.concurrency instead
/// ```
///
/// Its level comes from the setting `logging.loggers."tandem.deprecation".level`: the host calls
/// ``configure(level:logger:)`` once at start; `error` (or anything above `warning`) silences the
/// warnings.
public struct Deprecation: Sendable {
    /// The logger's label.
    public static let label = "tandem.deprecation"
    /// The setting that holds its level.
    public static let levelSettingKey = #"logging.loggers."tandem.deprecation".level"#

    /// The logger the warnings go to, with its level set.
    public let logger: Logger

    /// A deprecation logger at `level`, writing to `logger` (by default swift-log's handler for
    /// the label `tandem.deprecation`).
    public init(level: Logger.Level = .warning, logger: Logger = Logger(label: Deprecation.label)) {
        var logger = logger
        logger.logLevel = level
        self.logger = logger
    }

    /// Logs, at `warning`, that `what` is deprecated and which release of `component` removes it.
    /// - Parameters:
    ///   - what: the deprecated interface, as a plugin author would search for it.
    ///   - removedIn: the release that removes it (`3.0.0`).
    ///   - component: the plugin that ships it (`core`, `file`).
    ///   - replacement: what to use instead, if anything.
    public func warn(
        _ what: String, removedIn: String, component: String, use replacement: String? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        var message = "\(what) is deprecated and will be removed in \(component) \(removedIn)"
        if let replacement { message += "; use \(replacement) instead" }
        logger.warning(
            "\(message)",
            metadata: ["component": "\(component)", "removed_in": "\(removedIn)"],
            file: file, function: function, line: line)
    }

    /// The process's deprecation logger, which ``warn(_:removedIn:component:use:file:function:line:)-swift.type.method``
    /// uses; at `warning` until ``configure(level:logger:)``.
    public static var shared: Deprecation { current.withLock { $0 } }

    /// Sets the process's deprecation logger from the settings: the host calls this once at start.
    public static func configure(level: Logger.Level, logger: Logger = Logger(label: Deprecation.label)) {
        let configured = Deprecation(level: level, logger: logger)
        current.withLock { $0 = configured }
    }

    /// Logs a deprecation through ``shared``; see the instance method.
    public static func warn(
        _ what: String, removedIn: String, component: String, use replacement: String? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        shared.warn(
            what, removedIn: removedIn, component: component, use: replacement, file: file, function: function,
            line: line)
    }

    private static let current = Mutex(Deprecation())
}
