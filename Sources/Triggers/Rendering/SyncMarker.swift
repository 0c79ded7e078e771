import Foundation

/// The comment that records a ``ColumnSync`` inside its generated code, so that listing
/// installed syncs reads the table, the columns and the expressions back from the database
/// itself, with no bookkeeping table that could disagree with the triggers.
///
/// The comment is one line: `-- tandem-column-sync: {"new":"…","old":"…",…}`. JSON escapes
/// line breaks inside strings, so no name or expression can end the comment early.
enum SyncMarker {
    static let prefix = "-- tandem-column-sync: "

    /// The marker line for `sync`.
    static func line(for sync: ColumnSync) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings and optionals cannot fail.
        let data = try! encoder.encode(sync)
        return prefix + String(decoding: data, as: UTF8.self)
    }

    /// The sync recorded in `code`, or nil when `code` holds no readable marker.
    static func sync(in code: String) -> ColumnSync? {
        for line in code.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix(prefix) else { continue }
            return try? JSONDecoder().decode(ColumnSync.self, from: Data(trimmed.dropFirst(prefix.count).utf8))
        }
        return nil
    }
}
