import Hummingbird
import NIOCore
import TandemApp

/// The request context of Tandem's API: Hummingbird's core context, the caller's address and,
/// once authenticated, the user.
public struct APIRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, when the connection has one (rate limiting keys on it).
    public let remoteAddress: String?
    /// The authenticated user, set by the authentication middleware.
    public var user: APIUser?
    /// The language messages are answered in, from `Accept-Language`; English until the
    /// language middleware has read the header.
    public var language: String = Localizer.defaultLanguage

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        user = nil
    }
}
