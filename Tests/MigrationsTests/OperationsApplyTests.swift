import TandemDatabase
import TandemMigrations
import TandemSchema
import TandemTesting
import Testing

/// One operation written in YAML, applied on top of ``OperationsApplyTests/setup``, and what
/// the schema must show afterwards.
struct OperationCase: Sendable, CustomStringConvertible {
    let name: String
    let yaml: String
    let phase: Phase
    let expectation: @Sendable (Schema) -> Bool

    var description: String { name }
}

@Suite("Operations applied and introspected")
struct OperationsApplyTests {
    /// The tables every case starts from, with two rows in `item`.
    static let setup = """
          - create_table:
              name: owner
              columns:
                - {name: id, type: bigint, identity: true}
              primary_key: [id]
          - create_table:
              name: remote
              master: true
              columns:
                - {name: pulp_id, type: uuid, null: false}
                - {name: name, type: text, null: false}
              primary_key: [pulp_id]
          - create_table:
              name: item
              columns:
                - {name: id, type: bigint, identity: true}
                - {name: name, type: text, null: false}
                - {name: size, type: integer}
                - {name: label, type: text}
                - {name: note, type: text, default: none}
                - {name: owner_id, type: bigint}
              primary_key: [id]
              indexes:
                - {name: item_size_idx, columns: [size]}
              checks:
                - {name: item_size_positive, expression: "size > 0"}

        """

    static func column(_ table: String, _ name: String, in schema: Schema) -> Column? {
        schema.table(named: table)?.column(named: name)
    }

    static let cases: [OperationCase] = [
        .init(
            name: "create_table master",
            yaml:
                "  - create_table: {name: thing, master: true, columns: [{name: pulp_id, type: uuid, null: false}], primary_key: [pulp_id]}\n",
            phase: .compatible,
            expectation: { column("thing", "pulp_type", in: $0) == Column("pulp_type", .text, nullable: false) }),
        .init(
            name: "create_table detail_of",
            yaml:
                "  - create_table: {name: remote_file, detail_of: remote, columns: [{name: pulp_id, type: uuid, null: false}], primary_key: [pulp_id]}\n",
            phase: .compatible,
            expectation: {
                $0.table(named: "remote_file")?.foreignKeys.map {
                    [$0.referencedTable, $0.referencedColumns[0], $0.onDelete.rawValue]
                }
                    == [["remote", "pulp_id", "CASCADE"]]
            }),
        .init(
            name: "drop_table", yaml: "  - drop_table: {name: owner}\n", phase: .breaking,
            expectation: { $0.table(named: "owner") == nil }),
        .init(
            name: "add_column nullable",
            yaml: "  - add_column: {table: item, column: {name: color, type: varchar(20)}}\n", phase: .compatible,
            expectation: { column("item", "color", in: $0) == Column("color", .varchar(20)) }),
        .init(
            name: "add_column NOT NULL with default",
            yaml: "  - add_column: {table: item, column: {name: weight, type: integer, null: false, default: 0}}\n",
            phase: .compatible,
            expectation: {
                column("item", "weight", in: $0)
                    == Column("weight", .integer, nullable: false, default: .literal(.integer(0)))
            }),
        .init(
            name: "add_column expression default",
            yaml:
                "  - add_column: {table: item, column: {name: seen, type: timestamp, default: {expression: CURRENT_TIMESTAMP}}}\n",
            phase: .compatible, expectation: { column("item", "seen", in: $0)?.defaultValue != nil }),
        .init(
            name: "drop_column plain", yaml: "  - drop_column: {table: item, column: note}\n", phase: .breaking,
            expectation: { column("item", "note", in: $0) == nil }),
        .init(
            name: "drop_column indexed and checked", yaml: "  - drop_column: {table: item, column: size}\n",
            phase: .breaking,
            expectation: {
                column("item", "size", in: $0) == nil && $0.table(named: "item")!.indexes.isEmpty
                    && $0.table(named: "item")!.checkConstraints.isEmpty
            }),
        .init(
            name: "create_index",
            yaml: "  - create_index: {table: item, columns: [name], unique: true, where: \"size > 1\"}\n",
            phase: .compatible,
            expectation: {
                $0.table(named: "item")!.normalized.indexes.map(\.name) == ["item_name_idx", "item_size_idx"]
            }),
        .init(
            name: "drop_index", yaml: "  - drop_index: {table: item, name: item_size_idx}\n", phase: .compatible,
            expectation: { $0.table(named: "item")!.indexes.isEmpty }),
        .init(
            name: "add_foreign_key",
            yaml:
                "  - add_foreign_key: {table: item, columns: [owner_id], references: {table: owner, columns: [id]}, on_delete: set_null}\n",
            phase: .compatible,
            expectation: { $0.table(named: "item")!.normalized.foreignKeys.map(\.name) == ["item_owner_id_fkey"] }),
        .init(
            name: "add_check",
            yaml: "  - add_check: {table: item, name: item_name_nonempty, expression: \"length(name) > 0\"}\n",
            phase: .compatible,
            expectation: {
                $0.table(named: "item")!.checkConstraints.compactMap(\.name).sorted() == [
                    "item_name_nonempty", "item_size_positive",
                ]
            }),
        .init(
            name: "drop_constraint", yaml: "  - drop_constraint: {table: item, name: item_size_positive}\n",
            phase: .compatible,
            expectation: { $0.table(named: "item")!.checkConstraints.isEmpty }),
        .init(
            name: "set_not_null", yaml: "  - set_not_null: {table: item, column: label}\n", phase: .breaking,
            expectation: {
                column("item", "label", in: $0)?.isNullable == false
                    && $0.table(named: "item")!.checkConstraints.count == 1
            }),
        .init(
            name: "drop_not_null", yaml: "  - drop_not_null: {table: item, column: name}\n", phase: .compatible,
            expectation: { column("item", "name", in: $0)?.isNullable == true }),
        .init(
            name: "set_default", yaml: "  - set_default: {table: item, column: size, default: 5}\n", phase: .compatible,
            expectation: { column("item", "size", in: $0)?.defaultValue == .literal(.integer(5)) }),
        .init(
            name: "set_default null", yaml: "  - set_default: {table: item, column: note, default: null}\n",
            phase: .compatible,
            expectation: { column("item", "note", in: $0)?.defaultValue == nil }),
        .init(
            name: "sql",
            yaml:
                "  - sql: {up: \"CREATE TABLE extra (id INTEGER PRIMARY KEY); INSERT INTO extra (id) VALUES (1)\", down: \"DROP TABLE extra\", phase: compatible}\n",
            phase: .compatible, expectation: { $0.table(named: "extra") != nil }),
    ]

    @Test(
        "each operation parses, renders, applies, introspects as expected, and its inverse restores the schema",
        arguments: TestDatabaseKind.allCases, cases)
    func applyAndUndo(_ kind: TestDatabaseKind, _ operationCase: OperationCase) async throws {
        let operations = try TemporaryMigrations.operations(Self.setup + operationCase.yaml, phase: operationCase.phase)
        let operation = try #require(operations.last)
        #expect(operation.phase == operationCase.phase)
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                for setup in operations.dropLast() { try connection.apply(setup) }
                try connection.execute("INSERT INTO item (name, size, label) VALUES ('a', 1, 'x'), ('b', 2, 'y')")
                let before = try connection.introspectLiveSchema()
                try connection.apply(operation)
                let after = try connection.introspectSchema()
                if case .sql = operation {
                } else {
                    let simulated = try operation.applying(to: before).schema
                    #expect(after == simulated, "\(after.differences(from: simulated).map(\.description))")
                }
                #expect(operationCase.expectation(after), "\(after)")
                if after.table(named: "item") != nil { #expect(try connection.count("item") == 2) }
                guard let inverse = operation.inverse(schema: before.schema) else {
                    #expect(operation.phase == .breaking)
                    return
                }
                for step in inverse { try connection.apply(step) }
                let restored = try connection.introspectSchema()
                #expect(restored == before.schema, "\(restored.differences(from: before.schema).map(\.description))")
                #expect(try connection.count("item") == 2)
            }
        }
    }
}
