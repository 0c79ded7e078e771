import Foundation
import TandemDatabase

/// The index build a recorded cleanup (``DDL/dropInvalidIndex(_:on:)``) is for, read back from
/// the comment it starts with: `-- tandem-index-build: {"index":"…","table":"…"}`.
///
/// A run that dies after its `CREATE INDEX CONCURRENTLY` succeeded, but before it recorded
/// that, leaves the cleanup recorded and a VALID index: the next run takes the build as done
/// instead of repeating it (a raw `sql` build would fail "already exists").
struct IndexBuildCleanup: Codable, Equatable {
    /// The index built.
    let index: String
    /// Its table.
    let table: String

    private static let prefix = "-- tandem-index-build: "

    /// The comment line that names the build.
    static func marker(index: String, table: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding two strings cannot fail.
        let data = try! encoder.encode(IndexBuildCleanup(index: index, table: table))
        return prefix + String(decoding: data, as: UTF8.self)
    }

    /// The build `cleanup` is for; nil for other cleanups.
    init?(cleanup: String) {
        guard cleanup.hasPrefix(Self.prefix), let line = cleanup.split(separator: "\n").first,
            let build = try? JSONDecoder().decode(Self.self, from: Data(line.dropFirst(Self.prefix.count).utf8))
        else { return nil }
        self = build
    }

    private init(index: String, table: String) {
        self.index = index
        self.table = table
    }

    /// PostgreSQL: whether the index exists on its table in the current schema, and whether it is
    /// VALID (its build finished); nil when it does not exist.
    func isValid(on connection: Connection) throws -> Bool? {
        try connection.query(
            """
            SELECT i.indisvalid AS valid FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
            WHERE n.nspname = current_schema() AND c.relname = $1 AND t.relname = $2
            """, [.text(index), .text(table)]
        ).first?.decode(Bool.self, "valid")
    }
}

extension IndexBuildCleanup {
    /// The index and table a raw `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON
    /// [ONLY] [schema.]table …` statement builds; nil for other statements (and for a build
    /// without a name, whose index PostgreSQL names itself).
    init?(rawStatement statement: String) {
        let name = #"("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)"#
        let pattern =
            #"^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?"# + name
            + #"\s+ON\s+(?:ONLY\s+)?(?:"# + name + #"\s*\.\s*)?"# + name
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
            let match = regex.firstMatch(in: statement, range: NSRange(statement.startIndex..., in: statement)),
            let index = Range(match.range(at: 1), in: statement), let table = Range(match.range(at: 3), in: statement)
        else { return nil }
        self.init(index: Self.unquoted(statement[index]), table: Self.unquoted(statement[table]))
    }

    /// A name as PostgreSQL stores it: quoted names as written, others folded to lower case.
    private static func unquoted(_ name: Substring) -> String {
        guard name.hasPrefix("\"") else { return name.lowercased() }
        return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }
}
