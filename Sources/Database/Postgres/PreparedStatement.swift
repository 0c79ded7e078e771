import CLibPQ

/// A statement this session prepared under a name, with the result columns the server fixed
/// for it then: PostgreSQL fails a later run whose columns came out otherwise (SQLSTATE 0A000,
/// *cached plan must not change result type*).
final class PreparedStatement {
    /// One result column as the server describes it: PostgreSQL compares these (and collations,
    /// which libpq does not show) when it plans the statement again.
    struct Column: Equatable {
        let name: String
        let type: Oid
        let modifier: Int32
    }

    /// The server-side name, kept as C text so a run converts nothing.
    let name: ContiguousArray<CChar>
    /// The result columns of its first run by name, which are those it was prepared with (nil
    /// until then); empty for a statement that returns no rows, which a schema change can never
    /// fail that way. Read from a result rather than asked for (`PQdescribePrepared`): libpq
    /// takes the description of a statement with thousands of parameters for a broken message.
    var columns: [Column]?
    /// The number of the transaction (see `PostgresDriver`) in which the statement last ran
    /// unnamed and showed the same columns, or in which it was prepared: within that transaction
    /// its tables stay locked, so no other session can change them under it.
    var checkedInTransaction: Int

    /// The server-side name as Swift text, for `DEALLOCATE`.
    var nameText: String { name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } }

    init(name: String, checkedInTransaction: Int) {
        self.name = name.utf8CString
        self.checkedInTransaction = checkedInTransaction
    }

    /// The columns of a result.
    static func columns(of result: OpaquePointer) -> [Column] {
        (0..<PQnfields(result)).map { index in
            Column(
                name: String(cString: PQfname(result, index)), type: PQftype(result, index),
                modifier: PQfmod(result, index))
        }
    }
}
