import TandemApp
import TandemDatabase

extension API {
    /// The API of an application: every plugin that adopts ``APIPlugin`` registers its viewsets
    /// and routes, in the application's load order; master viewsets cast through the
    /// application's detail models.
    ///
    /// ```swift
    /// let application = try Application(plugins: [CorePlugin(), FilePlugin()])
    /// let api = try API(application: application, database: database)
    /// ```
    /// - Throws: what a plugin's ``APIPlugin/registerAPI(in:)`` throws.
    public init(
        application: Application, database: Database, configuration: APIConfiguration = APIConfiguration()
    ) throws {
        self.init(database: database, configuration: configuration)
        models = application.models
        for case let plugin as any APIPlugin in application.plugins {
            try plugin.registerAPI(in: &self)
            for route in plugin.routes { register(route) }
        }
    }

    /// The application's plugins that serve over the API, in load order.
    public static func plugins(of application: Application) -> [any APIPlugin] {
        application.plugins.compactMap { $0 as? any APIPlugin }
    }
}
