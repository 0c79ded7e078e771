import CLibPQ
import Foundation

/// A libpq session. Statements are prepared on first use and reused by name, except those
/// whose result columns follow a table's shape (`SELECT *`, `RETURNING *`; see ``ResultShape``),
/// which run unprepared so that a column added by another session never fails them.
///
/// Another session can still change a column a prepared statement names (a type widened by a
/// migration's `sql` step). PostgreSQL then fails the statement's next run with SQLSTATE 0A000,
/// which inside a transaction aborts the caller's transaction. So inside a transaction, a
/// statement that returns rows runs unnamed the first time (parsed anew, which also locks its
/// tables until the transaction ends); when its result columns differ from those it was
/// prepared with, it is prepared again before it runs by name. Outside a transaction a 0A000 is
/// retried once, prepared again. A rollback to a savepoint releases the locks the checks took,
/// so it makes every statement check again.
final class PostgresDriver: Driver {
    /// How a statement runs: prepared under a name, or parsed anew each time.
    private enum Plan {
        case prepared(PreparedStatement)
        case unprepared
    }

    /// The libpq handle; ``PostgresSession`` waits on its socket for notifications.
    let connection: OpaquePointer
    private var plans: [String: Plan] = [:]
    private var nextStatementNumber = 0
    /// Counts the statements run outside a transaction: its value names the current transaction,
    /// since every transaction starts with a statement (`BEGIN`) run outside one.
    private var transactionNumber = 0
    /// Statements dropped while the transaction was aborted, when the server takes no
    /// `DEALLOCATE`: deallocated before the next statement outside a transaction.
    private var abandonedStatements: [String] = []
    /// Past this many known statements the cache starts over, bounding server memory.
    private let statementCacheLimit = 1000

    /// Opens a session with libpq connection keywords (`host`, `port`, `dbname`, …).
    init(parameters: [String: String]) throws {
        var keywords = Array(parameters.keys)
        keywords.append(contentsOf: ["client_encoding", "fallback_application_name"].filter { parameters[$0] == nil })
        let values = keywords.map { parameters[$0] ?? ($0 == "client_encoding" ? "UTF8" : "tandem") }
        let connection = Self.connect(keywords: keywords, values: values)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let connection { PQfinish(connection) }
            throw DatabaseError(
                kind: .connection, dialect: .postgres, code: nil,
                message: "cannot connect: " + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.connection = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        try executeScript("SET TIME ZONE 'UTC'")
    }

    deinit {
        PQfinish(connection)
    }

    var beginStatement: String { "BEGIN" }

    var isHealthy: Bool {
        PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE
    }

    var transactionIsAborted: Bool { PQtransactionStatus(connection) == PQTRANS_INERROR }

    func serverVersion() -> String {
        let number = Int(PQserverVersion(connection))
        return number >= 100_000
            ? "\(number / 10_000).\(number % 10_000)" : "\(number / 10_000).\(number / 100 % 100).\(number % 100)"
    }

    func query(_ sql: String, _ values: [DatabaseValue]) throws -> [Row] {
        let result = try run(sql, values)
        defer { PQclear(result) }
        return PostgresResultReader(result).rows()
    }

    func execute(_ sql: String, _ values: [DatabaseValue]) throws -> Int {
        let result = try run(sql, values)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func executeScript(_ sql: String) throws {
        if PQtransactionStatus(connection) == PQTRANS_IDLE {
            transactionNumber += 1
            deallocateAbandonedStatements()
        } else if sql.range(of: "ROLLBACK", options: .caseInsensitive) != nil {
            // `ROLLBACK TO SAVEPOINT` releases the locks taken since the savepoint, those of
            // the checks among them.
            transactionNumber += 1
        }
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// The most values one statement may bind: the protocol counts them in 16 bits.
    static let maximumBoundValues = 65_535

    /// Executes a statement: prepared (preparing it first if this session has not seen it), or
    /// unprepared when its result follows a table's shape.
    private func run(_ sql: String, _ values: [DatabaseValue]) throws -> OpaquePointer {
        // libpq would refuse these without sending anything, in words of its own and with no
        // result, which reads like a lost session.
        guard values.count <= Self.maximumBoundValues else {
            throw DatabaseError(
                kind: .statement, dialect: .postgres, code: nil,
                message:
                    "the statement binds \(values.count) values; PostgreSQL takes at most \(Self.maximumBoundValues)",
                statement: sql)
        }
        let parameters = try PostgresParameters(values)
        let inTransaction = PQtransactionStatus(connection) != PQTRANS_IDLE
        if !inTransaction {
            transactionNumber += 1
            deallocateAbandonedStatements()
        }
        guard case .prepared(let statement) = try plan(for: sql) else {
            let result = try runUnnamed(sql, parameters)
            // A `ROLLBACK TO SAVEPOINT` run as a statement: see `executeScript`.
            if inTransaction, strcmp(PQcmdStatus(result), "ROLLBACK") == 0 { transactionNumber += 1 }
            return result
        }
        if inTransaction, statement.checkedInTransaction != transactionNumber, statement.columns?.isEmpty != true {
            let result = try runUnnamed(sql, parameters)
            if let columns = statement.columns, PreparedStatement.columns(of: result) == columns {
                statement.checkedInTransaction = transactionNumber
            } else {
                forget(sql, statement)
                _ = try plan(for: sql)
            }
            return result
        }
        let result = parameters.withArrays { count, pointers, lengths, formats in
            statement.name.withUnsafeBufferPointer { name in
                PQexecPrepared(connection, name.baseAddress, count, pointers, lengths, formats, 0)
            }
        }
        let planChanged = Self.reportsChangedResultType(result)
        do {
            let result = try checked(result, sql)
            if statement.columns == nil { statement.columns = PreparedStatement.columns(of: result) }
            if inTransaction, strcmp(PQcmdStatus(result), "ROLLBACK") == 0 { transactionNumber += 1 }
            return result
        } catch let error as DatabaseError where planChanged {
            // A column the statement names changed under it. Outside a transaction, prepare it
            // again and retry once. Inside one (a change the columns above did not show, such as
            // a collation) the server has already aborted the transaction: the caller sees the
            // error, and the next run prepares afresh.
            guard !inTransaction else {
                plans[sql] = nil
                abandonedStatements.append(statement.nameText)
                throw error
            }
            forget(sql, statement)
            return try run(sql, values)
        }
    }

    /// Whether `result` is PostgreSQL's refusal to run a prepared statement whose result columns
    /// changed since it was prepared ("cached plan must not change result type"), known by its
    /// SQLSTATE and the server function that raises it: the message is translated by the
    /// server's `lc_messages`, and 0A000 alone covers any unsupported feature.
    private static func reportsChangedResultType(_ result: OpaquePointer?) -> Bool {
        guard let result, PQresultStatus(result) == PGRES_FATAL_ERROR else { return false }
        let field = { (code: UInt8) in PQresultErrorField(result, Int32(code)).map { String(cString: $0) } }
        return field(UInt8(ascii: "C")) == "0A000" && field(UInt8(ascii: "R")) == "RevalidateCachedQuery"
    }

    /// Deallocates the statements dropped inside an aborted transaction; the session is outside
    /// any transaction now.
    private func deallocateAbandonedStatements() {
        guard !abandonedStatements.isEmpty else { return }
        for name in abandonedStatements { PQclear(PQexec(connection, "DEALLOCATE \(quoteIdentifier(name))")) }
        abandonedStatements.removeAll()
    }

    /// Runs a statement parsed anew, as the unnamed statement.
    private func runUnnamed(_ sql: String, _ parameters: PostgresParameters) throws -> OpaquePointer {
        let result = parameters.withArrays { count, pointers, lengths, formats in
            PQexecParams(connection, sql, count, nil, pointers, lengths, formats, 0)
        }
        return try checked(result, sql)
    }

    /// Drops a prepared statement, on the server too, so that the next run prepares it again.
    private func forget(_ sql: String, _ statement: PreparedStatement) {
        plans[sql] = nil
        PQclear(PQexec(connection, "DEALLOCATE \(quoteIdentifier(statement.nameText))"))
    }

    private func plan(for sql: String) throws -> Plan {
        if let plan = plans[sql] { return plan }
        if plans.count >= statementCacheLimit {
            try executeScript("DEALLOCATE ALL")
            plans.removeAll()
        }
        guard !ResultShape.followsTableShape(sql) else {
            plans[sql] = .unprepared
            return .unprepared
        }
        nextStatementNumber += 1
        let name = "tandem_\(nextStatementNumber)"
        let result = PQprepare(connection, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result, sql)
        let plan = Plan.prepared(PreparedStatement(name: name, checkedInTransaction: transactionNumber))
        plans[sql] = plan
        return plan
    }

    /// The result when it holds no error; otherwise it is cleared and the error thrown.
    private func checked(_ result: OpaquePointer?, _ sql: String) throws -> OpaquePointer {
        do {
            try check(result, sql)
        } catch {
            PQclear(result)
            throw error
        }
        return result!
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws {
        guard let result else {
            throw DatabaseError(
                kind: .connection, dialect: .postgres, code: nil,
                message: String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines),
                statement: sql)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let field = { (code: UInt8) -> String? in
                PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
            }
            let message =
                field(UInt8(ascii: "M"))
                ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            let lost = PQstatus(connection) != CONNECTION_OK
            // PG_DIAG_SQLSTATE, _MESSAGE_DETAIL, _CONSTRAINT_NAME, _TABLE_NAME, _COLUMN_NAME.
            throw DatabaseError(
                kind: lost ? .connection : .statement, dialect: .postgres, code: field(UInt8(ascii: "C")),
                message: message, statement: sql, detail: field(UInt8(ascii: "D")),
                constraint: field(UInt8(ascii: "n")),
                table: field(UInt8(ascii: "t")), column: field(UInt8(ascii: "c")))
        }
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer? {
        let keywordPointers = keywords.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer {
            keywordPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        return keywordPointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordBuffer in
            valuePointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 0)
            }
        }
    }
}
