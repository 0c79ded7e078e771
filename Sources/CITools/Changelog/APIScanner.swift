import Foundation
import SwiftParser
import SwiftSyntax
import TandemMigrations

/// Reads a package's public API from its Swift sources with SwiftParser: every public or open
/// declaration under `Sources/`, with the deprecation its `@available` attribute declares.
public enum APIScanner {
    /// Scans every `.swift` file under `Sources/` of the package.
    ///
    /// Throws ``CheckInputError`` listing every deprecation whose message does not say
    /// `removed in <component> <MAJOR.MINOR.PATCH>`.
    public static func scan(packageRoot: URL) throws -> [APISymbol] {
        let sources = packageRoot.appending(path: "Sources")
        var symbols: [APISymbol] = []
        var problems: [Finding] = []
        for relative in swiftFiles(under: sources) {
            let url = sources.appending(path: relative)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append(
                    Finding(file: "Sources/\(relative)", line: nil, message: "cannot read the file as UTF-8 text"))
                continue
            }
            let module = String(relative.split(separator: "/").first ?? "")
            let visitor = Visitor(file: "Sources/\(relative)", module: module, text: text)
            visitor.walk(visitor.tree)
            symbols += visitor.symbols
            problems += visitor.problems
        }
        guard problems.isEmpty else { throw CheckInputError(problems) }
        return symbols
    }

    /// Paths of the Swift files under `folder`, relative to it, sorted.
    static func swiftFiles(under folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
    }

    /// Reads `removed in <component> <version>` out of a deprecation message.
    static func deprecation(message: String, declaredOn: String) -> Deprecation? {
        guard let match = message.firstMatch(of: /removed in ([A-Za-z][A-Za-z0-9_-]*) ([0-9]+\.[0-9]+\.[0-9]+)/),
            SemanticVersion(String(match.2)) != nil
        else { return nil }
        return Deprecation(
            component: String(match.1), removal: String(match.2), message: message, declaredOn: declaredOn)
    }
}

/// Walks one file, keeping the enclosing types so members get qualified names and the right access.
private final class Visitor: SyntaxVisitor {
    let file: String
    let module: String
    let tree: SourceFileSyntax
    let converter: SourceLocationConverter
    var symbols: [APISymbol] = []
    var problems: [Finding] = []

    /// An enclosing type or extension.
    struct Scope {
        /// The qualified name members get as a prefix.
        let name: String
        /// Whether its members can be public at all.
        let isPublic: Bool
        /// Whether members without an access modifier are public (`public extension`, a public protocol).
        let membersPublicByDefault: Bool
        /// Whether it is a public enum, whose cases are public.
        let isPublicEnum: Bool
        /// The deprecation its members inherit: the type's own or its enclosing scope's.
        let deprecation: Deprecation?
        /// Whether it is an extension marked deprecated: each member then carries the deprecation.
        let isDeprecatedExtension: Bool
    }
    var scopes: [Scope] = []

    init(file: String, module: String, text: String) {
        self.file = file
        self.module = module
        self.tree = Parser.parse(source: text)
        self.converter = SourceLocationConverter(fileName: file, tree: tree)
        super.init(viewMode: .sourceAccurate)
    }

    // MARK: Types and extensions open a scope.

    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind {
        openType(
            node, kind: "struct", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: node.genericParameterClause)
    }
    override func visitPost(_ node: StructDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind {
        openType(
            node, kind: "class", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: node.genericParameterClause)
    }
    override func visitPost(_ node: ClassDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind {
        openType(
            node, kind: "actor", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: node.genericParameterClause)
    }
    override func visitPost(_ node: ActorDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind {
        openType(
            node, kind: "enum", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: node.genericParameterClause, isEnum: true)
    }
    override func visitPost(_ node: EnumDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind {
        openType(
            node, kind: "protocol", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: nil, isProtocol: true)
    }
    override func visitPost(_ node: ProtocolDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
        let publicExtension = node.modifiers.contains { Self.isPublic($0) }
        let enclosingPublic = scopes.last?.isPublic ?? true
        let name = qualified(node.extendedType.trimmedDescription)
        let line = converter.location(for: node.positionAfterSkippingLeadingTrivia).line
        let own = readDeprecation(in: node.attributes, of: "extension \(name)", line: line)
        scopes.append(
            Scope(
                name: name, isPublic: enclosingPublic, membersPublicByDefault: publicExtension, isPublicEnum: false,
                deprecation: own ?? scopes.last?.deprecation, isDeprecatedExtension: own != nil))
        return .visitChildren
    }
    override func visitPost(_ node: ExtensionDeclSyntax) { scopes.removeLast() }

    // MARK: Members are recorded; their bodies are not walked.

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        let labels = node.signature.parameterClause.parameters.map { "\($0.firstName.text):" }.joined()
        record(
            node, kind: "func", name: "\(node.name.text)(\(labels))", modifiers: node.modifiers,
            attributes: node.attributes,
            signature: [node.genericParameterClause, node.signature, node.genericWhereClause])
        return .skipChildren
    }

    override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind {
        let labels = node.signature.parameterClause.parameters.map { "\($0.firstName.text):" }.joined()
        let optional = node.optionalMark?.text ?? ""
        record(
            node, kind: "init", name: "init\(optional)(\(labels))", modifiers: node.modifiers,
            attributes: node.attributes,
            signature: [node.genericParameterClause, node.signature, node.genericWhereClause])
        return .skipChildren
    }

    override func visit(_ node: SubscriptDeclSyntax) -> SyntaxVisitorContinueKind {
        let labels = node.parameterClause.parameters.map { "\($0.firstName.text):" }.joined()
        record(
            node, kind: "subscript", name: "subscript(\(labels))", modifiers: node.modifiers,
            attributes: node.attributes,
            signature: [node.genericParameterClause, node.parameterClause, node.returnClause, node.genericWhereClause])
        return .skipChildren
    }

    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        for binding in node.bindings {
            guard let pattern = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
            record(
                node, kind: node.bindingSpecifier.text, name: pattern.identifier.text, modifiers: node.modifiers,
                attributes: node.attributes, signature: [binding.typeAnnotation])
        }
        return .skipChildren
    }

    override func visit(_ node: EnumCaseDeclSyntax) -> SyntaxVisitorContinueKind {
        for element in node.elements {
            record(
                node, kind: "case", name: element.name.text, modifiers: node.modifiers, attributes: node.attributes,
                signature: [element.parameterClause], isEnumCase: true)
        }
        return .skipChildren
    }

    override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind {
        record(
            node, kind: "typealias", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: [node.genericParameterClause, node.initializer])
        return .skipChildren
    }

    override func visit(_ node: AssociatedTypeDeclSyntax) -> SyntaxVisitorContinueKind {
        record(
            node, kind: "associatedtype", name: node.name.text, modifiers: node.modifiers, attributes: node.attributes,
            signature: [node.inheritanceClause])
        return .skipChildren
    }

    override func visit(_ node: MacroDeclSyntax) -> SyntaxVisitorContinueKind {
        let labels = node.signature.parameterClause.parameters.map { "\($0.firstName.text):" }.joined()
        record(
            node, kind: "macro", name: "\(node.name.text)(\(labels))", modifiers: node.modifiers,
            attributes: node.attributes,
            signature: [node.genericParameterClause, node.signature])
        return .skipChildren
    }

    // Code inside closures and accessors at the top level is not API.
    override func visit(_ node: CodeBlockSyntax) -> SyntaxVisitorContinueKind { .skipChildren }

    // MARK: Helpers

    private func openType(
        _ node: some SyntaxProtocol, kind: String, name: String, modifiers: DeclModifierListSyntax,
        attributes: AttributeListSyntax, signature: (any SyntaxProtocol)?, isEnum: Bool = false,
        isProtocol: Bool = false
    ) -> SyntaxVisitorContinueKind {
        let symbol = record(
            node, kind: kind, name: name, modifiers: modifiers, attributes: attributes, signature: [signature])
        let isPublic = symbol != nil
        scopes.append(
            Scope(
                name: qualified(name), isPublic: isPublic, membersPublicByDefault: isProtocol && isPublic,
                isPublicEnum: isEnum && isPublic, deprecation: symbol?.deprecation, isDeprecatedExtension: false))
        return .visitChildren
    }

    /// Records the declaration when it is public API; returns the symbol, or nil when it is not API.
    @discardableResult
    private func record(
        _ node: some SyntaxProtocol, kind: String, name: String, modifiers: DeclModifierListSyntax,
        attributes: AttributeListSyntax, signature: [(any SyntaxProtocol)?], isEnumCase: Bool = false
    ) -> APISymbol? {
        guard isPublic(modifiers: modifiers, isEnumCase: isEnumCase) else { return nil }
        let line = converter.location(for: node.positionAfterSkippingLeadingTrivia).line
        let qualifiedName = qualified(name)
        let signatureText = signature.compactMap { $0 }.flatMap { $0.tokens(viewMode: .sourceAccurate).map(\.text) }
            .joined(separator: " ")
        var deprecation = readDeprecation(in: attributes, of: qualifiedName, line: line) ?? scopes.last?.deprecation
        if let inherited = deprecation, scopes.last?.isDeprecatedExtension == true,
            inherited.declaredOn != qualifiedName
        {
            deprecation = Deprecation(
                component: inherited.component, removal: inherited.removal, message: inherited.message,
                declaredOn: qualifiedName)
        }
        let symbol = APISymbol(
            module: module, kind: kind, name: qualifiedName, signature: signatureText, file: file, line: line,
            deprecation: deprecation)
        symbols.append(symbol)
        return symbol
    }

    /// The deprecation `attributes` declare for `name`, reporting a message that does not say
    /// when it goes.
    private func readDeprecation(in attributes: AttributeListSyntax, of name: String, line: Int) -> Deprecation? {
        guard let message = deprecationMessage(in: attributes) else { return nil }
        if let deprecation = message.flatMap({ APIScanner.deprecation(message: $0, declaredOn: name) }) {
            return deprecation
        }
        problems.append(
            Finding(
                file: file, line: line,
                message:
                    "the deprecation of `\(name)` does not say when it goes: its message must contain 'removed in <component> <MAJOR.MINOR.PATCH>', such as \"removed in hello 2.0.0; use greet(name:)\""
            ))
        return nil
    }

    private func isPublic(modifiers: DeclModifierListSyntax, isEnumCase: Bool) -> Bool {
        guard let scope = scopes.last else { return modifiers.contains { Self.isPublic($0) } }
        guard scope.isPublic else { return false }
        if isEnumCase { return scope.isPublicEnum }
        if modifiers.contains(where: { Self.isPublic($0) }) { return true }
        let explicitAccess = modifiers.contains {
            switch $0.name.tokenKind {
            case .keyword(.private), .keyword(.fileprivate), .keyword(.internal), .keyword(.package): true
            default: false
            }
        }
        return scope.membersPublicByDefault && !explicitAccess
    }

    private static func isPublic(_ modifier: DeclModifierSyntax) -> Bool {
        // `public private(set) var` is public; `private(set)` alone has a detail and is not access.
        (modifier.name.tokenKind == .keyword(.public) || modifier.name.tokenKind == .keyword(.open))
            && modifier.detail == nil
    }

    private func qualified(_ name: String) -> String {
        scopes.last.map { "\($0.name).\(name)" } ?? name
    }

    /// `nil` when not deprecated for all platforms; `.some(nil)` when deprecated without a message.
    private func deprecationMessage(in attributes: AttributeListSyntax) -> String?? {
        for case .attribute(let attribute) in attributes where attribute.attributeName.trimmedDescription == "available"
        {
            guard case .availability(let arguments) = attribute.arguments else { continue }
            let tokens = arguments.compactMap { argument -> String? in
                if case .token(let token) = argument.argument { return token.text }
                return nil
            }
            guard tokens.first == "*", tokens.contains("deprecated") else { continue }
            for argument in arguments {
                guard case .availabilityLabeledArgument(let labeled) = argument.argument,
                    labeled.label.text == "message",
                    case .string(let literal) = labeled.value
                else { continue }
                return .some(literal.segments.map(\.content.text).joined())
            }
            return .some(nil)
        }
        return nil
    }
}
