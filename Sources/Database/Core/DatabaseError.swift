/// An error reported by a database or raised while talking to one.
///
/// Its description is stable and made for logs, GRDB style:
/// `PostgreSQL error 23505: duplicate key value violates unique constraint "t_pkey" - while executing 'INSERT ...'`.
/// Bound values and row values never appear in it: PostgreSQL's DETAIL field, which can quote
/// them (`Key (name)=(secret) already exists`), is kept apart in ``detail``.
public struct DatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; the CLI maps kinds to exit codes.
    public enum Kind: String, Sendable, Hashable {
        /// The database could not be reached or the session was lost.
        case connection
        /// The server rejected or failed a statement.
        case statement
        /// A value read from a row could not be converted to the requested type.
        case decoding
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The database that reported it, when one did.
    public let dialect: Dialect?
    /// The SQLSTATE (PostgreSQL, e.g. `23505`) or the extended result code (SQLite, e.g. `2067`).
    public let code: String?
    /// The server's message, or Tandem's for decoding failures.
    public let message: String
    /// The statement being executed, when there was one.
    public let statement: String?
    /// PostgreSQL's DETAIL field. It **may contain row values** (`Key (name)=(…) already exists`,
    /// `Failing row contains (…)`), so it is never part of ``description`` or ``message``: show
    /// it only where row values may be shown, and keep it out of logs.
    public let detail: String?
    /// The constraint that rejected the write, when the database names it (PostgreSQL; SQLite
    /// names CHECK constraints only).
    public let constraint: String?
    /// The table concerned, when the database names it (PostgreSQL; SQLite for UNIQUE and
    /// NOT NULL failures).
    public let table: String?
    /// The column concerned, when the database names exactly one (PostgreSQL for NOT NULL
    /// failures; SQLite for UNIQUE and NOT NULL failures on one column).
    public let column: String?

    /// Creates an error; drivers and decoders build these.
    public init(
        kind: Kind, dialect: Dialect?, code: String?, message: String, statement: String? = nil, detail: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.dialect = dialect
        self.code = code
        self.message = message
        self.statement = statement
        self.detail = detail
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    static func decoding(_ message: String) -> DatabaseError {
        DatabaseError(kind: .decoding, dialect: nil, code: nil, message: message)
    }

    /// The stable, value-free description: dialect, code, message and statement, never
    /// ``detail``.
    public var description: String {
        var text = dialect.map { "\($0) error" } ?? "database error"
        if let code { text += " \(code)" }
        text += ": \(valueFreeMessage)"
        if let statement { text += " - while executing '\(statement)'" }
        return text
    }

    /// ``message`` with the values PostgreSQL quotes in its data exceptions (SQLSTATE class 22:
    /// `invalid input syntax for type uuid: "…"`, `value "…" is out of range for type integer`)
    /// replaced by `"…"`, so that a log of the error never shows what a user sent. Everything
    /// from the first quote to the last goes: PostgreSQL does not escape a quote inside the
    /// value, so the quotes between could be the value's own.
    var valueFreeMessage: String {
        guard dialect == .postgres, code?.hasPrefix("22") == true,
            let first = message.firstIndex(of: "\""), let last = message.lastIndex(of: "\"")
        else { return message }
        let after = first == last ? message.endIndex : message.index(after: last)
        return message[..<first] + "\"…\"" + message[after...]
    }

    /// Whether a unique or primary-key constraint rejected the write.
    public var isUniqueViolation: Bool {
        switch dialect {
        case .postgres: code == "23505"
        case .sqlite: code == "2067" || code == "1555"
        case nil: false
        }
    }

    /// Whether a foreign-key constraint rejected the write.
    public var isForeignKeyViolation: Bool {
        switch dialect {
        case .postgres: code == "23503"
        case .sqlite: code == "787" || code == "1811"
        case nil: false
        }
    }

    /// Whether a NOT NULL constraint rejected the write.
    public var isNotNullViolation: Bool {
        switch dialect {
        case .postgres: code == "23502"
        case .sqlite: code == "1299"
        case nil: false
        }
    }

    /// Whether a CHECK constraint rejected the write.
    public var isCheckViolation: Bool {
        switch dialect {
        case .postgres: code == "23514"
        case .sqlite: code == "275"
        case nil: false
        }
    }

    /// Whether the statement gave up waiting for a lock (PostgreSQL `lock_timeout`, SQLite busy).
    public var isLockTimeout: Bool {
        switch dialect {
        case .postgres: code == "55P03"
        case .sqlite: code == "5" || code.map { Int($0).map { $0 & 0xFF == 5 } ?? false } ?? false
        case nil: false
        }
    }

    /// Whether the database gave the statement up because of another session: a lock it waited
    /// for too long (``isLockTimeout``; SQLite: busy), or a deadlock, serialization failure or
    /// statement timeout PostgreSQL broke by cancelling it (40P01, 40001, 57014). The
    /// transaction leaves nothing behind, and trying it again may go through.
    public var isTransientConflict: Bool {
        kind == .statement && (isLockTimeout || (dialect == .postgres && ["40P01", "40001", "57014"].contains(code)))
    }

    /// Whether the same work may go through if tried again a little later: another session's
    /// lock, deadlock or serialization conflict (``isTransientConflict``), or a connection lost
    /// to a server restart, a network drop or a terminated session. After a lost connection a
    /// transaction's `COMMIT` may or may not have taken effect.
    public var isWorthRetrying: Bool {
        kind == .connection || isTransientConflict
    }
}
