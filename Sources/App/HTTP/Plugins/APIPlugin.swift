import TandemApp

/// A plugin that serves over the REST API: it registers viewsets for its models under
/// `<api_root>api/v3/` and may add routes of its own outside it (Pulp's "Custom API URL
/// Routes").
///
/// `tandem serve` builds its ``API`` from the application's plugins in load order
/// (``API/init(application:database:configuration:)``): each plugin that adopts this protocol
/// registers its viewsets, then its ``routes`` are served and listed by `tandem proxy-config`.
///
/// ```swift
/// extension FilePlugin: APIPlugin {
///     public func registerAPI(in api: inout API) throws {
///         api.register(ViewSet<FileRemote>("remotes/file/file", filters: [FilterField("name")],
///                                          uniqueFields: ["name"]))
///     }
///     public var routes: [PluginRoute] {
///         [PluginRoute("file/health/", requiresAuthentication: false) { request in
///             .json(["status": .string("ok")])
///         }]
///     }
/// }
/// ```
///
/// A master viewset (``MasterViewSet``) casts rows through ``API/models``, which holds every
/// plugin's detail models when the API is built from an application.
public protocol APIPlugin: Plugin {
    /// Registers the plugin's viewsets. A path another plugin already serves is a programming
    /// error. Throws when the plugin cannot describe its endpoints (a model it cannot register).
    func registerAPI(in api: inout API) throws

    /// Routes outside `api/v3/`, relative to `api_root`; the default is none. Each path should
    /// start with the plugin's label (`file/...`) so plugins never collide.
    var routes: [PluginRoute] { get }
}

extension APIPlugin {
    /// No routes of its own.
    public var routes: [PluginRoute] { [] }
}
