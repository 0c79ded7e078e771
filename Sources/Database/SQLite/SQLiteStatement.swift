import CSQLite
import Foundation

/// A prepared sqlite3 statement with its parameter map.
///
/// Parameters may be written `?`, `?NNN` or `$NNN`: a numbered one binds the value at that
/// position, so statement text written with PostgreSQL's `$1` runs unchanged on SQLite.
final class SQLiteStatement {
    /// How a column's values are read back, from its declared type.
    enum ColumnKind {
        case plain, bool, timestamp, uuid, json
    }

    let pointer: OpaquePointer
    /// For each parameter (1-based position - 1), the index of the value it binds.
    private let valueIndexes: [Int]

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
        let count = Int(sqlite3_bind_parameter_count(pointer))
        // Only `$NNN` names need a lookup (linear in sqlite3); `?` and `?NNN` bind by position.
        guard strchr(sqlite3_sql(pointer), Int32(UInt8(ascii: "$"))) != nil else {
            valueIndexes = Array(0..<count)
            return
        }
        valueIndexes = (1...max(count, 1)).prefix(count).map { position in
            guard let name = sqlite3_bind_parameter_name(pointer, Int32(position)) else { return position - 1 }
            let text = String(cString: name)
            if let number = Int(text.dropFirst()), number > 0, text.first == "$" || text.first == "?" {
                return number - 1
            }
            return position - 1
        }
    }

    deinit {
        sqlite3_finalize(pointer)
    }

    func bind(_ values: [DatabaseValue]) throws {
        let needed = (valueIndexes.max() ?? -1) + 1
        guard values.count == needed else {
            throw DatabaseError(
                kind: .statement, dialect: .sqlite, code: String(SQLITE_RANGE),
                message: "the statement takes \(needed) bound values but \(values.count) were given",
                statement: String(cString: sqlite3_sql(pointer)))
        }
        for (offset, valueIndex) in valueIndexes.enumerated() {
            let position = Int32(offset + 1)
            let status: Int32
            switch values[valueIndex] {
            case .null: status = sqlite3_bind_null(pointer, position)
            case .integer(let int): status = sqlite3_bind_int64(pointer, position, int)
            case .double(let double): status = sqlite3_bind_double(pointer, position, double)
            case .bool(let bool): status = sqlite3_bind_int64(pointer, position, bool ? 1 : 0)
            case .text(let text), .json(let text): status = bindText(text, at: position)
            case .timestamp(let date): status = bindText(TimestampFormat.string(from: date), at: position)
            case .uuid(let uuid): status = bindText(UUIDText.string(uuid), at: position)
            case .bytes(let bytes):
                status =
                    bytes.isEmpty
                    ? sqlite3_bind_zeroblob(pointer, position, 0)
                    : bytes.withUnsafeBytes {
                        sqlite3_bind_blob64(pointer, position, $0.baseAddress, UInt64($0.count), transient)
                    }
            }
            guard status == SQLITE_OK else {
                throw DatabaseError(
                    kind: .statement, dialect: .sqlite, code: String(status),
                    message: "cannot bind value \(valueIndex + 1)",
                    statement: String(cString: sqlite3_sql(pointer)))
            }
        }
    }

    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    /// The result's column names and how each is read. Valid once a step has returned a row: a
    /// step may prepare the statement again after a schema change, and the columns move with it.
    ///
    /// Read from sqlite3 again only when it prepared the statement anew since the last read (its
    /// `SQLITE_STMTSTATUS_REPREPARE` count moved): reading them for every query cost a single-row
    /// get a string and an upper-cased copy per column, about a tenth of its time.
    func resultColumns() -> (names: [String], kinds: [ColumnKind]) {
        let preparations = sqlite3_stmt_status(pointer, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let columns, columns.preparations == preparations { return (columns.names, columns.kinds) }
        let names = (0..<sqlite3_column_count(pointer)).map { String(cString: sqlite3_column_name(pointer, $0)) }
        let kinds = columnKinds()
        columns = (preparations, names, kinds)
        return (names, kinds)
    }

    /// The last ``resultColumns()`` read, with the statement's preparation count then.
    private var columns: (preparations: Int32, names: [String], kinds: [ColumnKind])?

    /// How each result column is read, from its declared type.
    private func columnKinds() -> [ColumnKind] {
        (0..<sqlite3_column_count(pointer)).map { column in
            guard let declared = sqlite3_column_decltype(pointer, column) else { return .plain }
            switch String(cString: declared).uppercased() {
            case "BOOLEAN", "BOOL": return .bool
            case "TIMESTAMP", "TIMESTAMPTZ", "DATETIME": return .timestamp
            case "UUID": return .uuid
            case "JSON", "JSONB": return .json
            default: return .plain
            }
        }
    }

    func values(_ kinds: [ColumnKind]) -> [DatabaseValue] {
        var values: [DatabaseValue] = []
        values.reserveCapacity(kinds.count)
        for index in kinds.indices {
            let kind = kinds[index]
            let column = Int32(index)
            switch sqlite3_column_type(pointer, column) {
            case SQLITE_NULL:
                values.append(.null)
            case SQLITE_INTEGER:
                let int = sqlite3_column_int64(pointer, column)
                values.append(kind == .bool && (int == 0 || int == 1) ? .bool(int == 1) : .integer(int))
            case SQLITE_FLOAT:
                values.append(.double(sqlite3_column_double(pointer, column)))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(pointer, column))
                let start = sqlite3_column_blob(pointer, column)
                values.append(.bytes(start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []))
            default:
                let count = Int(sqlite3_column_bytes(pointer, column))
                let bytes = UnsafeBufferPointer(start: sqlite3_column_text(pointer, column), count: count)
                switch kind {
                case .timestamp:
                    if let date = TimestampFormat.date(from: bytes) {
                        values.append(.timestamp(date))
                        continue
                    }
                case .uuid:
                    if let uuid = UUIDText.uuid(bytes) {
                        values.append(.uuid(uuid))
                        continue
                    }
                case .json:
                    values.append(.json(String(decoding: bytes, as: UTF8.self)))
                    continue
                case .plain, .bool:
                    break
                }
                values.append(.text(String(decoding: bytes, as: UTF8.self)))
            }
        }
        return values
    }

    private func bindText(_ text: String, at position: Int32) -> Int32 {
        var text = text
        return text.withUTF8 {
            sqlite3_bind_text64(pointer, position, $0.baseAddress, UInt64($0.count), transient, UInt8(SQLITE_UTF8))
        }
    }
}

/// SQLITE_TRANSIENT: sqlite3 copies the bound bytes before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
