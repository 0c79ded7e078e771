import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@Suite("Dual-write triggers under concurrent writers")
struct ConcurrencyTests {
    static let sync = ColumnSync(table: "item", old: "old_value", new: "new_value")
    static let seeded = 50
    static let rounds = 400

    /// Two "old code" and two "new code" writers insert rows and update random ones at the same
    /// time, each through its own connection; afterwards every row has old = new.
    @Test(arguments: TestDatabaseKind.engines)
    func oldAndNewWritersKeepEveryRowInSync(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 4) { database in
            try await database.withConnection { connection in
                try connection.create(syncTable())
                try connection.installColumnSync(Self.sync)
                for value in 1...Self.seeded {
                    try connection.execute(
                        "INSERT INTO item (old_value) VALUES (\(connection.dialect.placeholder(1)))",
                        [.integer(Int64(value))])
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    let column = writer < 2 ? "old_value" : "new_value"
                    group.addTask {
                        for round in 0..<Self.rounds {
                            let value = DatabaseValue.integer(Int64(writer * 100_000 + round))
                            try await database.withConnection { connection in
                                let p = connection.dialect.placeholder
                                if round % 3 == 0 {
                                    try connection.execute("INSERT INTO item (\(column)) VALUES (\(p(1)))", [value])
                                } else if round % 10 == 1 {
                                    try connection.execute(
                                        "UPDATE item SET \(column) = \(column) + 1 WHERE id % 4 = \(p(1))",
                                        [.integer(Int64(writer))])
                                } else {
                                    let id = Int64.random(in: 1...Int64(Self.seeded))
                                    try connection.execute(
                                        "UPDATE item SET \(column) = \(p(1)) WHERE id = \(p(2))", [value, .integer(id)])
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await database.withConnection { connection in
                let pairs = try connection.pairs(Self.sync)
                #expect(pairs.count == Self.seeded + 4 * ((Self.rounds + 2) / 3))
                #expect(pairs.filter { $0.old != $0.new } == [])
                #expect(pairs.allSatisfy { $0.old != .null })
            }
        }
    }
}
