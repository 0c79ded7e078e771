import TandemDatabase
import TandemSchema
import Testing

extension Connection {
    /// Runs statements one by one, as a migration would.
    func run(_ statements: [String]) throws {
        for statement in statements { try execute(statement) }
    }

    /// Creates `table`, reads it back and expects it equal, listing the differences when not.
    func expectRoundTrip(_ table: Table, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try run(DDL(dialect).createTable(table))
        let read = try #require(try introspectTable(table.name), sourceLocation: sourceLocation)
        let differences = read.differences(from: table)
        #expect(read == table, "\(differences.map(\.description))", sourceLocation: sourceLocation)
        #expect(differences.isEmpty, sourceLocation: sourceLocation)
    }
}
