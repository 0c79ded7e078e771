import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// `@Columns`: writes `init(columns:)` and `encodeColumns(to:)` for a model, reading and writing
/// each stored property straight from and to its column instead of through `Codable`'s keyed
/// containers, which cost microseconds a row.
///
/// Column names follow `Decodable`'s rules: a `CodingKeys` enum's raw values when the type
/// declares one (and only the properties it lists), else the property names. A property named
/// `parent` (a detail model's parent) is read from the same row and written by the parent itself.
/// `columnNames` lists the columns read, in order, so the ORM selects exactly those.
public struct ColumnsMacro: ExtensionMacro {
    /// The extension that conforms the attached type to `RowDecodable` and `RowEncodable`.
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        guard let structure = declaration.as(StructDeclSyntax.self) else {
            context.diagnose(Diagnostic(node: node, message: ColumnsMessage.notAStruct))
            return []
        }
        let columns = codingKeyColumns(in: structure)
        var reads: [String] = []
        var writes: [String] = []
        var names: [String] = []
        for property in storedProperties(of: structure) {
            guard let column = columns.map({ $0[property.name] }) ?? property.name else { continue }
            reads.append(read(property: property, column: column))
            if column != "parent" {
                writes.append("try columns.write(\(literal(column)), self.\(property.name))")
                names.append(literal(column))
            }
        }
        let access = structure.modifiers.contains { ["public", "package"].contains($0.name.text) } ? "public " : ""
        let readBody = reads.map { "        " + $0 }.joined(separator: "\n")
        let writeBody = writes.map { "        " + $0 }.joined(separator: "\n")
        let extensionDecl: DeclSyntax = """
            extension \(type.trimmed): TandemORM.RowDecodable, TandemORM.RowEncodable {
                \(raw: access)static var columnNames: [String] { [\(raw: names.joined(separator: ", "))] }
                \(raw: access)init(columns: TandemORM.ColumnReader) throws {
            \(raw: readBody)
                }
                \(raw: access)func encodeColumns(to columns: TandemORM.ColumnWriter) throws {
            \(raw: writeBody)
                }
            }
            """
        return [extensionDecl.cast(ExtensionDeclSyntax.self)]
    }

    /// A stored property, and whether its declared type is optional (`T?`, `T!`, `Optional<T>`).
    private struct Property {
        let name: String
        let isOptional: Bool
    }

    private static func read(property: Property, column: String) -> String {
        if column == "parent" { return "self.\(property.name) = try columns.parent()" }
        let reader = property.isOptional ? "optionalValue" : "value"
        return "self.\(property.name) = try columns.\(reader)(\(literal(column)))"
    }

    private static func literal(_ text: String) -> String {
        var escaped = "\""
        for character in text {
            if character == "\\" || character == "\"" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "\""
    }

    /// Property name → column name from a `CodingKeys` enum, or nil when the type has none.
    private static func codingKeyColumns(in structure: StructDeclSyntax) -> [String: String]? {
        for member in structure.memberBlock.members {
            guard let enumDecl = member.decl.as(EnumDeclSyntax.self), enumDecl.name.text == "CodingKeys" else {
                continue
            }
            var columns: [String: String] = [:]
            for caseMember in enumDecl.memberBlock.members {
                guard let caseDecl = caseMember.decl.as(EnumCaseDeclSyntax.self) else { continue }
                for element in caseDecl.elements {
                    let name = element.name.text.trimmingBackticks
                    let raw = element.rawValue?.value.as(StringLiteralExprSyntax.self)?.segments
                        .compactMap { $0.as(StringSegmentSyntax.self)?.content.text }.joined()
                    columns[name] = raw ?? name
                }
            }
            return columns
        }
        return nil
    }

    /// Stored instance properties that `Decodable` would decode, in declaration order.
    private static func storedProperties(of structure: StructDeclSyntax) -> [Property] {
        var properties: [Property] = []
        for member in structure.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self),
                !variable.modifiers.contains(where: { ["static", "class", "lazy"].contains($0.name.text) })
            else { continue }
            let isLet = variable.bindingSpecifier.tokenKind == .keyword(.let)
            for binding in variable.bindings {
                guard let pattern = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
                if isLet, binding.initializer != nil { continue }  // Decodable leaves these alone too
                if let accessors = binding.accessorBlock, isComputed(accessors) { continue }
                properties.append(
                    Property(
                        name: pattern.identifier.text.trimmingBackticks,
                        isOptional: isOptional(binding.typeAnnotation?.type)))
            }
        }
        return properties
    }

    private static func isOptional(_ type: TypeSyntax?) -> Bool {
        guard let type else { return false }
        if type.is(OptionalTypeSyntax.self) || type.is(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return true }
        if let identifier = type.as(IdentifierTypeSyntax.self) { return identifier.name.text == "Optional" }
        if let member = type.as(MemberTypeSyntax.self) { return member.name.text == "Optional" }
        return false
    }

    private static func isComputed(_ block: AccessorBlockSyntax) -> Bool {
        switch block.accessors {
        case .getter: return true
        case .accessors(let list):
            return list.contains { ["get", "set", "_read", "_modify"].contains($0.accessorSpecifier.text) }
        }
    }
}

private enum ColumnsMessage: String, DiagnosticMessage {
    case notAStruct

    var message: String {
        switch self {
        case .notAStruct: "@Columns applies to structs (models are Codable structs)"
        }
    }

    var diagnosticID: MessageID { MessageID(domain: "TandemMacros", id: rawValue) }
    var severity: DiagnosticSeverity { .error }
}

extension String {
    fileprivate var trimmingBackticks: String {
        hasPrefix("`") && hasSuffix("`") && count > 1 ? String(dropFirst().dropLast()) : self
    }
}
