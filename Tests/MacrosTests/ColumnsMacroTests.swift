import SwiftSyntaxMacros
import SwiftSyntaxMacrosTestSupport
import TandemMacros
import XCTest

/// Expansion tests for `@Columns` (XCTest: SwiftSyntax's expansion assertions are XCTest-based).
final class ColumnsMacroTests: XCTestCase {
    let macros: [String: any Macro.Type] = ["Columns": ColumnsMacro.self]

    func testCodingKeysNameTheColumnsAndSkipWhatTheyLeaveOut() {
        assertMacroExpansion(
            """
            @Columns
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

                extension Remote: TandemORM.RowDecodable, TandemORM.RowEncodable {
                    public static var columnNames: [String] {
                        ["pulp_id", "name"]
                    }
                    public init(columns: TandemORM.ColumnReader) throws {
                        self.pulpID = try columns.value("pulp_id")
                        self.name = try columns.value("name")
                    }
                    public func encodeColumns(to columns: TandemORM.ColumnWriter) throws {
                        try columns.write("pulp_id", self.pulpID)
                        try columns.write("name", self.name)
                    }
                }
                """,
            macros: macros)
    }

    func testPropertyNamesAreColumnsAndParentIsReadFromTheSameRow() {
        assertMacroExpansion(
            """
            @Columns
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

                extension FileRemote: TandemORM.RowDecodable, TandemORM.RowEncodable {
                    static var columnNames: [String] {
                        ["manifest", "default", "observed"]
                    }
                    init(columns: TandemORM.ColumnReader) throws {
                        self.parent = try columns.parent()
                        self.manifest = try columns.optionalValue("manifest")
                        self.default = try columns.value("default")
                        self.observed = try columns.value("observed")
                    }
                    func encodeColumns(to columns: TandemORM.ColumnWriter) throws {
                        try columns.write("manifest", self.manifest)
                        try columns.write("default", self.default)
                        try columns.write("observed", self.observed)
                    }
                }
                """,
            macros: macros)
    }

    func testOnlyStructsAreAccepted() {
        assertMacroExpansion(
            "@Columns class Remote {}",
            expandedSource: "class Remote {}",
            diagnostics: [
                DiagnosticSpec(message: "@Columns applies to structs (models are Codable structs)", line: 1, column: 1)
            ],
            macros: macros)
    }
}
