/// How the API serves: where, with which limits.
public struct APIConfiguration: Sendable {
    /// The prefix of every API path, with leading and trailing slashes (setting `api_root`).
    public var apiRoot: String
    /// The largest request body accepted, in bytes; a larger one gets 413.
    public var maximumBodySize: Int
    /// Rows per page when a list gives no `limit`.
    public var defaultPageSize: Int
    /// The largest `limit` a list honours.
    public var maximumPageSize: Int

    /// The defaults: `/pulp/`, 1 MiB bodies, pages of 100 up to 1000.
    public init(
        apiRoot: String = "/pulp/", maximumBodySize: Int = 1 << 20, defaultPageSize: Int = 100,
        maximumPageSize: Int = 1000
    ) {
        let trimmed = apiRoot.split(separator: "/").joined(separator: "/")
        self.apiRoot = trimmed.isEmpty ? "/" : "/\(trimmed)/"
        self.maximumBodySize = maximumBodySize
        self.defaultPageSize = defaultPageSize
        self.maximumPageSize = maximumPageSize
    }

    /// `<api_root>api/v3/`.
    public var apiBase: String { apiRoot + "api/v3/" }
}
