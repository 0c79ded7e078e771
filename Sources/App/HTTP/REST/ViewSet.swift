import TandemORM

/// Serves one model under a path of the API: list, retrieve, create, update (full and partial)
/// and delete, as Pulp's `NamedModelViewSet` does.
///
/// ```swift
/// var api = API(database: database)
/// api.register(ViewSet<FileRemote>("remotes/file/file", filters: [FilterField("name")],
///                                  orderingFields: ["name", "pulp_created"], uniqueFields: ["name"]))
/// ```
/// gives `/pulp/api/v3/remotes/file/file/` and `/pulp/api/v3/remotes/file/file/<uuid>/`, with
/// OpenAPI operation ids `remotes_file_file_list`, `..._read`, `..._create`, `..._update`,
/// `..._partial_update` and `..._delete`.
public struct ViewSet<M: APIResource>: Sendable {
    /// The path under `api/v3/`, without leading or trailing slashes: `remotes/file/file`.
    public let path: String
    /// The fields lists filter on.
    public var filters: [FilterField]
    /// The fields a list may be ordered by (`ordering=name,-pulp_created`).
    public var orderingFields: [String]
    /// The order of a list that asks for none; the primary key always ends it, so pages never
    /// overlap.
    public var defaultOrdering: [Ordering]
    /// Fields whose values are unique: a duplicate is reported as that field's error
    /// (`This field must be unique.`) before anything is written, and a concurrent duplicate that
    /// the database's constraint catches is reported the same way.
    public var uniqueFields: [String]
    /// The OpenAPI tag of the operations: `Remotes: File`.
    public var tag: String
    /// Whether the viewset only lists and retrieves (Pulp's content lists): writes answer 405.
    public var readOnly: Bool
    /// Whether updates and deletes run as tasks, as Pulp's remotes and repositories do: when the
    /// API has a task queue they answer 202 `{"task": href}` (see ``API/registerGeneralTasks(in:)``).
    public var changesRunAsTasks = false
    /// Filters computed from their values (``QueryFilter``), besides the column ``filters``.
    public var queryFilters: [QueryFilter] = []

    /// A viewset for `M` at `path`.
    public init(
        _ path: String, filters: [FilterField] = [], orderingFields: [String] = [], defaultOrdering: [Ordering] = [],
        uniqueFields: [String] = [], tag: String? = nil, readOnly: Bool = false
    ) {
        let trimmed = path.split(separator: "/").joined(separator: "/")
        precondition(!trimmed.isEmpty, "a viewset needs a path")
        precondition(trimmed == trimmed.lowercased(), "API paths are lower-case: \(path)")
        self.path = trimmed
        self.filters = filters
        self.orderingFields = orderingFields
        self.defaultOrdering = defaultOrdering
        self.uniqueFields = uniqueFields
        self.tag = tag ?? Self.defaultTag(for: trimmed)
        self.readOnly = readOnly
    }

    /// `remotes/file/file` → `Remotes: File`, as Pulp tags its operations.
    static func defaultTag(for path: String) -> String {
        let parts = path.split(separator: "/").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts[0] + ": "
            + parts.dropFirst().reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            .joined(separator: " ")
    }
}

/// Serves the master model of a family at its own path, listing every value typed: each row is
/// cast to its registered detail type (one query per type) and shown with that type's fields and
/// `pulp_href`, as Pulp's `/remotes/` does. List only: the detail paths create and change values.
public struct MasterViewSet<M: APIResource & MasterModel>: Sendable {
    /// The path under `api/v3/`: `remotes`.
    public let path: String
    /// The fields lists filter on (`pulp_type` with `pulp_type__in` is the usual one).
    public var filters: [FilterField]
    /// The fields a list may be ordered by.
    public var orderingFields: [String]
    /// The order of a list that asks for none, before the primary key.
    public var defaultOrdering: [Ordering]
    /// The detail types rows are cast to.
    public var registry: ModelRegistry
    /// The OpenAPI tag.
    public var tag: String

    /// A master viewset for `M` at `path`, casting through `registry`.
    public init(
        _ path: String, filters: [FilterField] = [], orderingFields: [String] = [], defaultOrdering: [Ordering] = [],
        registry: ModelRegistry = .shared, tag: String? = nil
    ) {
        let trimmed = path.split(separator: "/").joined(separator: "/")
        precondition(!trimmed.isEmpty && trimmed == trimmed.lowercased(), "API paths are lower-case: \(path)")
        self.path = trimmed
        self.filters = filters
        self.orderingFields = orderingFields
        self.defaultOrdering = defaultOrdering
        self.registry = registry
        self.tag = tag ?? ViewSet<M>.defaultTag(for: trimmed)
    }
}
