/// One public declaration of a package, as `tandem changelog` records and compares it.
public struct APISymbol: Sendable, Hashable, Codable {
    /// The folder under `Sources/` that holds it (its target).
    public let module: String
    /// The declaration keyword: `func`, `init`, `var`, `struct`, `case`, …
    public let kind: String
    /// The Swift name, qualified by its enclosing types: `Greeter.greet(name:)`.
    public let name: String
    /// The declaration's signature tokens (parameter and result types, generic clauses), so that
    /// a changed signature counts as a removal and an addition.
    public let signature: String
    /// The file, relative to the package root.
    public let file: String
    /// The line of the declaration (of its first attribute).
    public let line: Int
    /// Its deprecation, when it or an enclosing type (or extension) carries
    /// `@available(*, deprecated, …)`.
    public let deprecation: Deprecation?

    /// What identifies the symbol across releases: module, kind, name and signature.
    public var key: String { "\(module) \(kind) \(name) \(signature)" }

    /// Whether the symbol carries its deprecation attribute itself (not through an enclosing type).
    public var declaresDeprecation: Bool { deprecation?.declaredOn == name }

    /// The name without the enclosing types (`greet(name:)`), which a fragment may use instead.
    public var shortName: String {
        // Split at the last dot outside parentheses: `greet(a:)` holds none, `Greeter.greet(a:)` one.
        var depth = 0
        for index in name.indices.reversed() {
            switch name[index] {
            case ")": depth += 1
            case "(": depth -= 1
            case "." where depth == 0: return String(name[name.index(after: index)...])
            default: break
            }
        }
        return name
    }

    /// Creates a symbol.
    public init(
        module: String, kind: String, name: String, signature: String, file: String, line: Int,
        deprecation: Deprecation?
    ) {
        self.module = module
        self.kind = kind
        self.name = name
        self.signature = signature
        self.file = file
        self.line = line
        self.deprecation = deprecation
    }
}

/// What `@available(*, deprecated, message: "… removed in <component> <version>; use …")` says.
public struct Deprecation: Sendable, Hashable, Codable {
    /// The component whose release removes the symbol (`hello`).
    public let component: String
    /// The release that removes it, as written (`2.0.0`).
    public let removal: String
    /// The whole message.
    public let message: String
    /// The qualified name of the declaration whose attribute this is: the symbol's own, or that
    /// of an enclosing type, whose deprecation covers its members.
    public let declaredOn: String

    /// Creates a deprecation.
    public init(component: String, removal: String, message: String, declaredOn: String) {
        self.component = component
        self.removal = removal
        self.message = message
        self.declaredOn = declaredOn
    }
}
