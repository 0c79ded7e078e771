/// A component of the application as the status endpoint and the API document report it.
public struct ComponentVersion: Sendable, Hashable {
    /// The component's name: `core`, `file`.
    public let component: String
    /// The component's own release.
    public let version: String
    /// The package that ships it.
    public let package: String
    /// The module that implements it.
    public let module: String
    /// Whether it supports domains (Tandem has none yet: false).
    public let domainCompatible: Bool
    /// The level of Pulp's REST API this component's endpoints implement, which Pulp's clients
    /// compare with their minimums (pulp-cli demands `core >= 3.49.0`). Reported as its own field
    /// (`pulp_api_level`) and in the document's `info.x-pulp-app-versions`; ``version`` stays the
    /// component's own release. Nil for a component that claims no Pulp level.
    public let pulpAPILevel: String?

    /// A component.
    public init(
        component: String, version: String, package: String, module: String, domainCompatible: Bool = false,
        pulpAPILevel: String? = nil
    ) {
        self.component = component
        self.version = version
        self.package = package
        self.module = module
        self.domainCompatible = domainCompatible
        self.pulpAPILevel = pulpAPILevel
    }
}
