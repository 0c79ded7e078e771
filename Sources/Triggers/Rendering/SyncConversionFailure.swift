import TandemDatabase
import TandemSchema

/// What the triggers say when a written value does not convert to the other column: the
/// column change and the migration that installed it, never the value.
struct SyncConversionFailure {
    let sync: ColumnSync

    /// The message for a value written to `column` (the sync's old or new column).
    func message(writtenTo column: String) -> String {
        let other = column == sync.old ? sync.new : sync.old
        return "tandem: a value written to \(sync.table).\(column) does not convert to \(sync.table).\(other)"
            + " (column change \(sync.table).\(sync.old) → \(sync.new)"
            + (sync.origin.map { " of migration \($0)" } ?? "")
            + "); the write is refused: earlier code may only write values the migration's "
            + (column == sync.old ? "up" : "down") + " converts"
    }

    /// Whether `expression` (the sync's `up` or `down`) holds a cast that fails for some values.
    static func mayFail(_ expression: SchemaExpression?) -> Bool {
        !(expression?.partialCasts.isEmpty ?? true)
    }
}
