import Foundation
import SwiftParser
import SwiftSyntax

/// What dump-package's JSON leaves out of a `Package.swift`, read with SwiftParser: where each
/// `.package(…)` is, how its requirement is spelled, and the comments next to it.
public struct ManifestSource: Sendable {
    /// One `.package(url:…)` or `.package(id:…)` call.
    public struct Declaration: Sendable {
        /// The 1-based line of the call.
        public let line: Int
        /// Whether the upper bound is only implied by the lower one: `from:`,
        /// `.upToNextMajor(from:)` or `.upToNextMinor(from:)`.
        public let impliesUpperBound: Bool
        /// The text of the comments on the lines right above it (no blank line between), on its
        /// own line after it, and inside it.
        public let comments: [String]
    }

    /// Identity → its declaration; calls whose URL is not a string literal are missing.
    public let declarations: [String: Declaration]

    /// Parses the manifest's source text.
    public init(source: String) {
        let tree = Parser.parse(source: source)
        let converter = SourceLocationConverter(fileName: "Package.swift", tree: tree)
        var declarations: [String: Declaration] = [:]
        for call in tree.descendants(of: FunctionCallExprSyntax.self) {
            guard let member = call.calledExpression.as(MemberAccessExprSyntax.self),
                member.declName.baseName.text == "package",
                let location = call.arguments.first(where: { ["url", "id"].contains($0.label?.text) }),
                let literal = location.expression.as(StringLiteralExprSyntax.self),
                let value = literal.representedLiteralValue
            else { continue }
            let implied = call.arguments.contains { argument in
                if argument.label?.text == "from" { return true }
                guard let inner = argument.expression.as(FunctionCallExprSyntax.self),
                    let name = inner.calledExpression.as(MemberAccessExprSyntax.self)?.declName.baseName.text
                else { return false }
                return name == "upToNextMajor" || name == "upToNextMinor"
            }
            let element = call.parent?.as(ArrayElementSyntax.self)
            var comments = Self.adjacentComments(in: (element.map(Syntax.init) ?? Syntax(call)).leadingTrivia)
            comments += Self.comments(in: (element.map(Syntax.init) ?? Syntax(call)).trailingTrivia)
            for token in call.tokens(viewMode: .sourceAccurate).dropFirst() {
                comments += Self.comments(in: token.leadingTrivia) + Self.comments(in: token.trailingTrivia)
            }
            comments += Self.comments(in: call.calledExpression.trailingTrivia)
            declarations[Self.identity(of: value)] = Declaration(
                line: converter.location(for: call.positionAfterSkippingLeadingTrivia).line,
                impliesUpperBound: implied, comments: comments.filter { !$0.isEmpty })
        }
        self.declarations = declarations
    }

    /// SwiftPM's identity for a URL or registry id: its last component, lower-cased, without `.git`.
    static func identity(of location: String) -> String {
        var last = location.split(separator: "/").last.map(String.init) ?? location
        if last.hasSuffix(".git") { last.removeLast(4) }
        return last.lowercased()
    }

    /// The comments at the end of `trivia` that no blank line separates from what follows.
    private static func adjacentComments(in trivia: Trivia) -> [String] {
        var found: [String] = []
        for piece in trivia.pieces.reversed() {
            switch piece {
            case .newlines(let count), .carriageReturnLineFeeds(let count):
                if count > 1 { return found.reversed() }
            case .lineComment(let text), .blockComment(let text), .docLineComment(let text), .docBlockComment(let text):
                found.append(strip(text))
            default:
                continue
            }
        }
        return found.reversed()
    }

    private static func comments(in trivia: Trivia) -> [String] {
        trivia.pieces.compactMap { piece in
            switch piece {
            case .lineComment(let text), .blockComment(let text), .docLineComment(let text), .docBlockComment(let text):
                strip(text)
            default: nil
            }
        }
    }

    private static func strip(_ comment: String) -> String {
        var text = Substring(comment)
        if text.hasPrefix("/*") { text = text.dropFirst(2).dropLast(2) }
        return text.drop { $0 == "/" || $0 == "*" || $0 == " " }.trimmingCharacters(in: .whitespaces)
    }
}
