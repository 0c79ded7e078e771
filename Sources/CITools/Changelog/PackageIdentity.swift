import Foundation
import SwiftParser
import SwiftSyntax
import TandemMigrations

/// A package's name and version, as the changelog checks read them.
///
/// The version is the one line of the `VERSION` file at the package root: the release being
/// developed, which `tandem changelog build --version` releases. The name is `Package(name:)` in
/// `Package.swift`; a deprecation's `removed in <component> <version>` must name it (case aside).
public struct PackageIdentity: Sendable {
    /// `Package(name:)`, as written.
    public let name: String
    /// The `VERSION` file's version.
    public let version: SemanticVersion

    /// The file that holds the version, relative to the package root.
    public static let versionFile = "VERSION"

    /// Reads both, throwing ``CheckInputError`` when either is missing or malformed.
    public init(packageRoot: URL) throws {
        let versionURL = packageRoot.appending(path: Self.versionFile)
        guard let text = try? String(contentsOf: versionURL, encoding: .utf8) else {
            throw CheckInputError(
                file: Self.versionFile,
                "missing: the package's version (MAJOR.MINOR.PATCH) is the one line of \(Self.versionFile)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let version = SemanticVersion(trimmed) else {
            throw CheckInputError(
                file: Self.versionFile, line: 1,
                "invalid version '\(trimmed)' (expected MAJOR.MINOR.PATCH, such as \"1.10.0\")")
        }
        self.version = version
        self.name = try Self.packageName(packageRoot: packageRoot)
    }

    private static func packageName(packageRoot: URL) throws -> String {
        guard let source = try? String(contentsOf: packageRoot.appending(path: "Package.swift"), encoding: .utf8) else {
            throw CheckInputError(file: "Package.swift", "missing: not a Swift package")
        }
        let tree = Parser.parse(source: source)
        for call in tree.descendants(of: FunctionCallExprSyntax.self)
        where call.calledExpression.trimmedDescription == "Package" {
            for argument in call.arguments where argument.label?.text == "name" {
                if let literal = argument.expression.as(StringLiteralExprSyntax.self),
                    let value = literal.representedLiteralValue
                {
                    return value
                }
            }
        }
        throw CheckInputError(
            file: "Package.swift", "cannot find the package's name: expected Package(name: \"…\") with a string literal"
        )
    }
}

extension SyntaxProtocol {
    /// Every node of type `T` below this one, in source order.
    func descendants<T: SyntaxProtocol>(of type: T.Type) -> [T] {
        var found: [T] = []
        var stack: [Syntax] = [Syntax(self)]
        while let node = stack.popLast() {
            if let match = node.as(T.self) { found.append(match) }
            stack.append(contentsOf: node.children(viewMode: .sourceAccurate).reversed())
        }
        return found
    }
}
