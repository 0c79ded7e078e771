import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird application listening on a free loopback port, run until ``stop()``.
struct LoopbackServer: Sendable {
    /// The port it listens on.
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts serving `router` on 127.0.0.1 and returns once it listens.
    static func start<Context: RequestContext>(_ router: Router<Context>) async throws -> LoopbackServer
    where Context: InitializableFromSource<ApplicationRequestContextSource> {
        var logger = Logger(label: "tandem-bench.api")
        logger.logLevel = .warning
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                announce.yield(channel.localAddress?.port ?? 0)
                announce.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw BenchmarkError("the \(Context.self) server did not start")
        }
        return LoopbackServer(port: port, group: group, task: task)
    }

    /// Stops serving, gracefully, and waits for the server to close.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
