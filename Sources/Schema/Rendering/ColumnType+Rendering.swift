import TandemDatabase

extension ColumnType {
    /// The type as `dialect` declares it (see ``ColumnType`` for the table).
    public func sql(for dialect: Dialect) -> String {
        switch (self, dialect) {
        case (.bigint, _): "BIGINT"
        case (.integer, _): "INTEGER"
        case (.double, .postgres): "DOUBLE PRECISION"
        case (.double, .sqlite): "DOUBLE"
        case (.boolean, _): "BOOLEAN"
        case (.text, _): "TEXT"
        case (.varchar(let length), _): "VARCHAR(\(length))"
        case (.bytes, .postgres): "BYTEA"
        case (.bytes, .sqlite): "BLOB"
        case (.timestamp, .postgres): "TIMESTAMPTZ"
        case (.timestamp, .sqlite): "TIMESTAMP"
        case (.uuid, _): "UUID"
        case (.json, .postgres): "JSONB"
        case (.json, .sqlite): "JSON"
        case (.decimal(let precision, let scale), .postgres): "NUMERIC(\(precision),\(scale))"
        case (.decimal(let precision, let scale), .sqlite): "DECIMAL(\(precision),\(scale))"
        case (.custom(let name), _): name
        }
    }
}
