import Foundation
import TandemApp
import TandemORM

extension Remote: APIResource {
    /// Keeps the key, the type and the creation time; marks the value updated now.
    public mutating func keepStoredFields(of stored: Remote) {
        pulpID = stored.pulpID
        pulpType = stored.pulpType
        pulpCreated = stored.pulpCreated
        pulpLastUpdated = Date()
    }
}

extension Repository: APIResource {
    /// Keeps the key, the type, the creation time, the version counter and the hidden flag;
    /// marks the value updated now.
    public mutating func keepStoredFields(of stored: Repository) {
        pulpID = stored.pulpID
        pulpType = stored.pulpType
        pulpCreated = stored.pulpCreated
        nextVersion = stored.nextVersion
        userHidden = stored.userHidden
        pulpLastUpdated = Date()
    }
}

extension Content: APIResource {
    /// Keeps everything but the update time: content never changes through the API.
    public mutating func keepStoredFields(of stored: Content) {
        self = stored
        pulpLastUpdated = Date()
    }
}

extension CorePlugin: APIPlugin {
    /// Pulp's typed master lists: `remotes/`, `repositories/` and `content/`, each filtered by
    /// `pulp_type` (and by name where values have one), newest first.
    public func registerAPI(in api: inout API) throws {
        let typed = FilterField("pulp_type", lookups: [.exact, .in])
        let newestFirst = [Column("pulp_created").descending]
        let ordering = ["name", "pulp_created", "pulp_last_updated"]
        api.register(
            MasterViewSet<Remote>(
                "remotes", filters: [FilterField("name"), typed], orderingFields: ordering,
                defaultOrdering: newestFirst, registry: api.models))
        api.register(
            MasterViewSet<Repository>(
                "repositories", filters: [FilterField("name"), typed], orderingFields: ordering,
                defaultOrdering: newestFirst, registry: api.models))
        api.register(
            MasterViewSet<Content>(
                "content", filters: [typed], orderingFields: ["pulp_created"], defaultOrdering: newestFirst,
                registry: api.models))
    }
}
