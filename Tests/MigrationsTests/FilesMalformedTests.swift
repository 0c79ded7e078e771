import Foundation
import TandemMigrations
import Testing

/// One malformed fixture: the folder under `Fixtures/malformed`, and the one error it must give.
struct MalformedCase: Sendable, CustomStringConvertible {
    let folder: String
    let file: String
    let line: Int?
    let message: String

    var description: String { folder }
}

@Suite("Malformed migration files")
struct FilesMalformedTests {
    static let cases: [MalformedCase] = [
        .init(
            folder: "yaml_syntax", file: "core/0001_a.yaml", line: 5,
            message: "invalid YAML: did not find expected ',' or '}'"),
        .init(
            folder: "unknown_key", file: "core/0001_a.yaml", line: 3,
            message: "unknown key 'relase' (expected one of: release, phase, depends_on, requires, operations)"),
        .init(folder: "missing_release", file: "core/0001_a.yaml", line: 1, message: "missing key 'release'"),
        .init(
            folder: "operations_not_list", file: "core/0001_a.yaml", line: 4,
            message: "'operations' must be a list, not a mapping"),
        .init(
            folder: "invalid_version", file: "core/0001_a.yaml", line: 1,
            message: "invalid version '1.10' for 'release' (expected MAJOR.MINOR.PATCH, such as \"1.10.0\")"),
        .init(
            folder: "unknown_phase", file: "core/0001_a.yaml", line: 2,
            message: "unknown phase 'expand' for 'phase' (expected compatible or breaking)"),
        .init(folder: "empty_operations", file: "core/0001_a.yaml", line: 3, message: "'operations' must not be empty"),
        .init(
            folder: "unknown_operation", file: "core/0001_a.yaml", line: 9,
            message:
                "unknown operation 'rename_colum' (expected one of: create_table, drop_table, add_column, drop_column, create_index, drop_index, add_foreign_key, add_check, drop_constraint, set_not_null, drop_not_null, set_default, sql, backfill, rename_column, complete_rename, change_type, complete_change_type)"
        ),
        .init(
            folder: "missing_operation_key", file: "core/0001_a.yaml", line: 5,
            message: "missing key 'column' in add_column"),
        .init(
            folder: "wrong_type_null", file: "core/0001_a.yaml", line: 6,
            message: "'null' in column must be true or false, not the string 'maybe'"),
        .init(
            folder: "unknown_column_type", file: "core/0001_a.yaml", line: 6,
            message:
                "unknown column type 'strng' (expected bigint, integer, double, boolean, text, varchar(N), bytes, timestamp, uuid, json or decimal(P,S))"
        ),
        .init(
            folder: "requires_on_compatible", file: "core/0001_a.yaml", line: 3,
            message:
                "'requires' is only for breaking migrations: a compatible migration runs before the rollout, so it cannot need new code"
        ),
        .init(
            folder: "missing_requires", file: "core/0001_a.yaml", line: 1,
            message:
                "missing key 'requires': a breaking migration must name the component versions every live process must run"
        ),
        .init(folder: "sql_without_phase", file: "core/0001_a.yaml", line: 5, message: "missing key 'phase' in sql"),
        .init(
            folder: "bad_file_name", file: "core/1_a.yaml", line: nil,
            message:
                "invalid file name: expected <component>/NNNN_name.yaml, four digits then lowercase letters, digits and _"
        ),
        .init(
            folder: "duplicate_numbers", file: "core/0001_b.yaml", line: nil,
            message: "duplicate number 0001 in component core: {root}/core/0001_a.yaml has it too"),
        .init(
            folder: "missing_dependency", file: "core/0001_a.yaml", line: 3,
            message: "depends_on names file/0002_nope, which does not exist"),
        .init(
            folder: "cycle", file: "core/0001_a.yaml", line: 3,
            message: "dependency cycle: core/0001_a → file/0001_b → core/0001_a"),
        .init(
            folder: "invalid_dependency_name", file: "core/0001_a.yaml", line: 3,
            message:
                "invalid migration name 'core-1' in 'depends_on' (expected component/NNNN_name, such as core/0003_tasks)"
        ),
        .init(folder: "duplicate_key", file: "core/0001_a.yaml", line: 2, message: "duplicate key 'phase'"),
        .init(
            folder: "operation_not_mapping", file: "core/0001_a.yaml", line: 4,
            message: "an operation must be a mapping with one key, the operation's name, not the string 'drop_table'"),
        .init(
            folder: "master_and_detail", file: "core/0001_a.yaml", line: 5,
            message: "create_table d cannot be both master and detail_of: a detail table's key references its parent's"),
        .init(
            folder: "index_unknown_column", file: "core/0001_a.yaml", line: 6,
            message: "create_table u index names column 'missing', which the table does not declare"),
        .init(
            folder: "empty_file", file: "core/0001_a.yaml", line: 1,
            message: "the file is empty: it needs release, phase and operations"),
        .init(
            folder: "file_outside_component", file: "0001_a.yaml", line: nil,
            message: "a migration file belongs in a component folder: <component>/NNNN_name.yaml"),
        .init(
            folder: "invalid_requires_version", file: "core/0001_a.yaml", line: 3,
            message: "invalid version 'latest' for 'requires' of core (expected MAJOR.MINOR.PATCH, such as \"1.10.0\")"),
        .init(
            folder: "foreign_key_column_count", file: "core/0001_a.yaml", line: 7,
            message: "add_foreign_key pairs 2 column(s) with 1 referenced column(s)"),
        .init(
            folder: "on_delete_unknown", file: "core/0001_a.yaml", line: 8,
            message:
                "unknown action 'explode' for 'on_delete' in add_foreign_key (expected cascade, restrict, set_null, set_default or no_action)"
        ),
        .init(
            folder: "release_not_string", file: "core/0001_a.yaml", line: 1,
            message: "'release' must be a version string, not a list"),
        .init(folder: "sql_empty_up", file: "core/0001_a.yaml", line: 4, message: "'up' in sql must not be empty"),
        .init(
            folder: "identity_text", file: "core/0001_a.yaml", line: 6,
            message: "identity column 'id' must be bigint without a default"),
    ]

    @Test("each malformed fixture gives exactly its error, with file and line", arguments: cases)
    func malformed(_ fixture: MalformedCase) throws {
        let root = Fixtures.url("malformed/\(fixture.folder)").path
        let expected = MigrationFileError(
            path: root + "/" + fixture.file, line: fixture.line,
            message: fixture.message.replacingOccurrences(of: "{root}", with: root))
        let error = try #require(throws: MigrationFileErrors.self) { try MigrationLoader.load(directory: root) }
        #expect(error.errors == [expected])
    }

    @Test("an unknown argument key is reported along with the missing one it stands for")
    func misspelledArgument() throws {
        let root = Fixtures.url("malformed/unknown_operation_key").path
        let error = try #require(throws: MigrationFileErrors.self) { try MigrationLoader.load(directory: root) }
        #expect(
            error.errors.map(\.description) == [
                "\(root)/core/0001_a.yaml:5: missing key 'table' in add_column",
                "\(root)/core/0001_a.yaml:5: unknown key 'tabel' in add_column (expected one of: table, column)",
            ])
    }

    @Test("errors of every file are collected in one throw")
    func collectsAcrossFiles() throws {
        let error = try #require(throws: MigrationFileErrors.self) {
            try MigrationLoader.load(paths: [
                Fixtures.url("malformed/unknown_phase").path, Fixtures.url("malformed/duplicate_key").path,
            ])
        }
        #expect(
            error.errors.map(\.message) == [
                "duplicate key 'phase'", "unknown phase 'expand' for 'phase' (expected compatible or breaking)",
            ])
    }
}

/// The test fixtures beside this file.
enum Fixtures {
    static func url(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(path)
    }
}
