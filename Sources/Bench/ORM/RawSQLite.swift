import CSQLite
import Foundation
import TandemDatabase

/// The baseline on sqlite3: statements prepared once, reset and rebound for each use.
final class RawSQLite: RawBaseline {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws {
        var handle: OpaquePointer?
        guard
            sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
                == SQLITE_OK,
            let handle
        else { throw RawBenchmarkError(description: "raw sqlite3 open failed") }
        self.handle = handle
        sqlite3_busy_timeout(handle, 5000)
        guard
            sqlite3_exec(
                handle, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA journal_mode = WAL", nil, nil,
                nil)
                == SQLITE_OK
        else { throw RawBenchmarkError(description: "raw sqlite3 pragmas failed") }
    }

    deinit {
        statements.values.forEach { sqlite3_finalize($0) }
        sqlite3_close_v2(handle)
    }

    func setUp() throws {
        guard sqlite3_exec(handle, benchTables(prefix: "raw", dialect: .sqlite), nil, nil, nil) == SQLITE_OK else {
            throw RawBenchmarkError(description: "raw sqlite3: " + String(cString: sqlite3_errmsg(handle)))
        }
    }

    func create(_ values: [RawFileRemote]) throws {
        let begin = try statement("BEGIN IMMEDIATE"), commit = try statement("COMMIT")
        let insertMaster = try statement(RawSQL.insertMaster), insertDetail = try statement(RawSQL.insertDetail)
        for value in values {
            let master = value.master
            try step(begin)
            bindText(insertMaster, 1, master.pulpID.uuidString.lowercased())
            bindText(insertMaster, 2, master.pulpType)
            bindText(insertMaster, 3, master.name)
            bindText(insertMaster, 4, master.url)
            bindText(insertMaster, 5, master.policy)
            if let concurrency = master.downloadConcurrency {
                sqlite3_bind_int64(insertMaster, 6, Int64(concurrency))
            } else {
                sqlite3_bind_null(insertMaster, 6)
            }
            bindText(insertMaster, 7, TimestampFormat.string(from: master.created))
            try step(insertMaster)
            bindText(insertDetail, 1, master.pulpID.uuidString.lowercased())
            if let manifest = value.manifest {
                bindText(insertDetail, 2, manifest)
            } else {
                sqlite3_bind_null(insertDetail, 2)
            }
            try step(insertDetail)
            try step(commit)
        }
    }

    func get(_ keys: [UUID]) throws -> Int {
        let get = try statement(RawSQL.get)
        var found = 0
        for key in keys {
            bindText(get, 1, key.uuidString.lowercased())
            while sqlite3_step(get) == SQLITE_ROW {
                _ = detail(get)
                found += 1
            }
            sqlite3_reset(get)
        }
        return found
    }

    func listMasters() throws -> [RawRemote] {
        let list = try statement(RawSQL.list)
        bindText(list, 1, "file.file")
        var masters: [RawRemote] = []
        while sqlite3_step(list) == SQLITE_ROW { masters.append(master(list)) }
        sqlite3_reset(list)
        return masters
    }

    func cast(_ masters: [RawRemote]) throws -> [RawFileRemote] {
        let cast = try statement(RawSQL.cast(count: masters.count))
        for (index, master) in masters.enumerated() {
            bindText(cast, Int32(index + 1), master.pulpID.uuidString.lowercased())
        }
        var details: [RawFileRemote] = []
        details.reserveCapacity(masters.count)
        while sqlite3_step(cast) == SQLITE_ROW { details.append(detail(cast)) }
        sqlite3_reset(cast)
        return details
    }

    private func master(_ statement: OpaquePointer) -> RawRemote {
        RawRemote(
            pulpID: UUID(uuidString: text(statement, 0)!)!, pulpType: text(statement, 1)!, name: text(statement, 2)!,
            url: text(statement, 3)!, policy: text(statement, 4)!,
            downloadConcurrency: sqlite3_column_type(statement, 5) == SQLITE_NULL
                ? nil : Int(sqlite3_column_int64(statement, 5)),
            created: TimestampFormat.date(from: text(statement, 6)!)!)
    }

    private func detail(_ statement: OpaquePointer) -> RawFileRemote {
        RawFileRemote(master: master(statement), manifest: text(statement, 7))
    }

    private func text(_ statement: OpaquePointer, _ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        return String(
            decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, column))),
            as: UTF8.self)
    }

    /// The prepared form of one of ``RawSQL``'s statements, with its `$N` placeholders written
    /// `?N` as the ORM writes them for SQLite: sqlite3 takes `$N` for a name, and looking up
    /// 10,000 names while preparing the cast's statement cost it tens of milliseconds.
    private func statement(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        let text = sql.replacingOccurrences(of: "$", with: "?")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
            let statement
        else { throw RawBenchmarkError(description: "raw sqlite3: " + String(cString: sqlite3_errmsg(handle))) }
        statements[sql] = statement
        return statement
    }

    private func step(_ statement: OpaquePointer) throws {
        let status = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard status == SQLITE_DONE || status == SQLITE_ROW else {
            throw RawBenchmarkError(description: "raw sqlite3: " + String(cString: sqlite3_errmsg(handle)))
        }
    }

    private func bindText(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 {
            _ = sqlite3_bind_text64(
                statement, index, $0.baseAddress, UInt64($0.count), transientDestructor, UInt8(SQLITE_UTF8))
        }
    }
}

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
