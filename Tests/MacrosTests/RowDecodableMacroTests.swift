import SwiftSyntaxMacros
import SwiftSyntaxMacrosTestSupport
import TandemMacros
import XCTest

/// Expansion tests for `@RowDecodable` (XCTest: SwiftSyntax's expansion assertions are XCTest-based).
final class RowDecodableMacroTests: XCTestCase {
    let macros: [String: any Macro.Type] = ["RowDecodable": RowDecodableMacro.self]

    func testCodingKeysNameTheColumnsAndSkipWhatTheyLeaveOut() {
        assertMacroExpansion(
            """
            @RowDecodable
            public struct Remote: MasterModel {
                static let tableName = "core_remote"
                var pulpID: UUID
                var name: String
                var cached = 0
                let version = 1
                var display: String { name }
                enum CodingKeys: String, CodingKey {
                    case pulpID = "pulp_id", name
                }
            }
            """,
            expandedSource: """
                public struct Remote: MasterModel {
                    static let tableName = "core_remote"
                    var pulpID: UUID
                    var name: String
                    var cached = 0
                    let version = 1
                    var display: String { name }
                    enum CodingKeys: String, CodingKey {
                        case pulpID = "pulp_id", name
                    }
                }

                extension Remote: TandemORM.RowDecodable {
                    public init(columns: TandemORM.ColumnReader) throws {
                        self.pulpID = try columns.value("pulp_id")
                        self.name = try columns.value("name")
                    }
                }
                """,
            macros: macros)
    }

    func testPropertyNamesAreColumnsAndParentIsReadFromTheSameRow() {
        assertMacroExpansion(
            """
            @RowDecodable
            struct FileRemote: DetailModel {
                var parent: Remote
                var manifest: String?
                var `default`: Bool
                var observed = 0 { didSet { } }
            }
            """,
            expandedSource: """
                struct FileRemote: DetailModel {
                    var parent: Remote
                    var manifest: String?
                    var `default`: Bool
                    var observed = 0 { didSet { } }
                }

                extension FileRemote: TandemORM.RowDecodable {
                    init(columns: TandemORM.ColumnReader) throws {
                        self.parent = try columns.parent()
                        self.manifest = try columns.optionalValue("manifest")
                        self.default = try columns.value("default")
                        self.observed = try columns.value("observed")
                    }
                }
                """,
            macros: macros)
    }

    func testOnlyStructsAreAccepted() {
        assertMacroExpansion(
            "@RowDecodable class Remote {}",
            expandedSource: "class Remote {}",
            diagnostics: [DiagnosticSpec(message: "@RowDecodable applies to structs (models are Codable structs)", line: 1, column: 1)],
            macros: macros)
    }
}
