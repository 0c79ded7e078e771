import Foundation
import TandemDatabase
import TandemTriggers

extension LiveSchema {
    /// Refuses `sync` on SQLite when a trigger of the live schema already has one of its names
    /// but was not installed for its pair: the installation's `DROP TRIGGER IF EXISTS` would
    /// remove the application's trigger, or another pair's (SQLite's trigger names are
    /// database-wide). PostgreSQL checks the same at run time (the installation's first
    /// statement), as this schema does not list its triggers.
    func checkTriggerNames(free sync: ColumnSync) throws(OperationError) {
        let ours = Set(sync.names.triggers(for: .sqlite))
        for (table, statements) in triggers {
            for statement in statements {
                guard let name = Self.triggerName(in: statement), ours.contains(name), !sync.isRecorded(in: statement)
                else { continue }
                throw OperationError(
                    "install_column_sync: trigger \(quoteIdentifier(name)) on \(quoteIdentifier(table)) exists but was "
                        + "not installed for \(sync.describe()); Tandem does not replace it: drop or rename it, or choose other column names"
                )
            }
        }
    }

    /// The name a `CREATE TRIGGER` statement gives, unquoted.
    static func triggerName(in statement: String) -> String? {
        let pattern =
            #"^\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z0-9_$]+)"#
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
            let match = expression.firstMatch(in: statement, range: NSRange(statement.startIndex..., in: statement)),
            let range = Range(match.range(at: 1), in: statement)
        else { return nil }
        let name = statement[range]
        guard let first = name.first, "\"`[".contains(first) else { return String(name) }
        return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }
}
