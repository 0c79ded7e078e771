import Synchronization
import TandemDatabase

/// The tables one model's rows live in, master first, joined on the shared primary key.
struct TableChain: Sendable {
    let tables: [String]
    let primaryKey: String
    /// `"master" JOIN "detail" ON "detail"."key" = "master"."key" …`.
    let fromClause: String
    /// The master's key column, qualified: the only column name every joined table shares.
    let masterKey: String
    /// The columns the model reads, named one by one: `"name", "url"` for one table,
    /// `"core_remote"."name" AS "name", …` for a join, so the result's names are the columns'.
    let selectList: String
    /// Each column the model knows, qualified by the table it lives in, when there is a join:
    /// a table of the chain may gain a column of the same name later (a compatible migration
    /// adding `manifest` to the master while the detail has one), and an unqualified name would
    /// then be ambiguous in the statements of code that does not know it.
    private let qualifiedColumns: [String: String]

    private static let cache = Mutex<[ObjectIdentifier: TableChain]>([:])

    /// The chain of a model type, built once per process.
    /// - Throws: ``ModelDefinitionError`` when the type's columns cannot be found, do not match its
    ///   tables, or repeat a name across its tables; nothing is cached then.
    static func of<M: Model>(_ type: M.Type) throws(ModelDefinitionError) -> TableChain {
        if let chain = cache.withLock({ $0[ObjectIdentifier(type)] }) { return chain }
        let columns: [[String]]
        do {
            columns = try M.tableColumns
        } catch let error as ModelDefinitionError {
            throw error
        } catch {
            throw .unreadableColumns(type: "\(M.self)", reason: "\(error)")
        }
        let tables = M.tableChain
        guard columns.count == tables.count else {
            throw .columnListMismatch(type: "\(M.self)", tables: tables.count, columnLists: columns.count)
        }
        if let repeated = repeatedColumn(tables: tables, columns: columns) {
            throw .repeatedColumn(type: "\(M.self)", column: repeated.column, tables: repeated.tables)
        }
        let chain = TableChain(tables: tables, columns: columns, primaryKey: M.primaryKey)
        cache.withLock { $0[ObjectIdentifier(type)] = chain }
        return chain
    }

    /// A column two tables of the chain both give the model, with those tables: the rows' columns
    /// are found by name, so each name must be read from one table only.
    private static func repeatedColumn(tables: [String], columns: [[String]]) -> (column: String, tables: [String])? {
        var tableOf: [String: String] = [:]
        for (table, names) in zip(tables, columns) {
            for name in names {
                if let earlier = tableOf[name] { return (name, [earlier, table]) }
                tableOf[name] = table
            }
        }
        return nil
    }

    private init(tables: [String], columns: [[String]], primaryKey: String) {
        self.tables = tables
        self.primaryKey = primaryKey
        let qualifiedKey = { (index: Int) in quoteIdentifier(tables[index]) + "." + quoteIdentifier(primaryKey) }
        var clause = quoteIdentifier(tables[0])
        for index in tables.indices.dropFirst() {
            clause += " JOIN \(quoteIdentifier(tables[index])) ON \(qualifiedKey(index)) = \(qualifiedKey(index - 1))"
        }
        fromClause = clause
        masterKey = qualifiedKey(0)
        var qualified: [String: String] = [:]
        if tables.count > 1 {
            for (table, names) in zip(tables, columns) {
                for name in names {
                    qualified[name] = quoteIdentifier(table) + "." + quoteIdentifier(name)
                }
            }
            qualified[primaryKey] = masterKey
        }
        qualifiedColumns = qualified
        if tables.count == 1 {
            selectList = columns[0].map(quoteIdentifier).joined(separator: ", ")
        } else {
            selectList = zip(tables, columns).flatMap { table, names in
                names.map { quoteIdentifier(table) + "." + quoteIdentifier($0) + " AS " + quoteIdentifier($0) }
            }.joined(separator: ", ")
        }
    }

    /// Writes a column: qualified by its table when the model's rows come from a join (see
    /// ``qualifiedColumns``), the master's key for the primary key.
    func columnReference(_ name: String) -> String {
        qualifiedColumns[name] ?? quoteIdentifier(name)
    }
}
