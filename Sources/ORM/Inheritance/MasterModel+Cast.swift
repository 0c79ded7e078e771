import TandemDatabase

extension MasterModel {
    /// The most derived value this master row belongs to: its registered detail type (a detail
    /// of a detail included), read with all its fields; the master itself when `pulp_type` names
    /// no registered type.
    /// - Throws: ``PersistenceError/missingDetailRow(table:key:)`` when the detail row is missing.
    public func cast(on source: some ConnectionSource, registry: ModelRegistry = .shared) throws -> any InheritanceMember {
        try Self.cast([self], on: source, registry: registry)[0]
    }

    /// Casts many master values, in order, with one query per detail type present (never one per row).
    public static func cast(
        _ masters: [Self], on source: some ConnectionSource, registry: ModelRegistry = .shared
    ) throws -> [any InheritanceMember] {
        var keysByType: [String: [DatabaseValue]] = [:]
        let keys = try masters.map { master -> DatabaseValue in
            let key = try master.encodeRows()[0].first { $0.column == primaryKey }?.value ?? .null
            if registry.detailType(of: Self.self, pulpType: master.pulpType) != nil { keysByType[master.pulpType, default: []].append(key) }
            return key
        }
        var details: [DatabaseValue: any InheritanceMember] = [:]
        try source.withConnection { connection in
            for (pulpType, typeKeys) in keysByType {
                let detailType = registry.detailType(of: Self.self, pulpType: pulpType)!
                for (key, detail) in try fetchDetails(detailType, keys: typeKeys, on: connection) { details[key] = detail }
                if let missing = typeKeys.first(where: { details[$0] == nil }) {
                    throw PersistenceError.missingDetailRow(table: detailType.tableName, key: missing)
                }
            }
        }
        return zip(masters, keys).map { master, key in details[key] ?? master }
    }

    /// Bound values per statement, under SQLite's default limit of 32,766.
    static var castBatchSize: Int { 30_000 }
}

/// Reads the detail values with these keys, keyed by primary key.
private func fetchDetails<Detail: DetailModel>(_ type: Detail.Type, keys: [DatabaseValue], on connection: Connection) throws
    -> [(DatabaseValue, any InheritanceMember)]
{
    var found: [(DatabaseValue, any InheritanceMember)] = []
    found.reserveCapacity(keys.count)
    var start = 0
    while start < keys.count {
        let batch = Array(keys[start..<min(start + Detail.Master.castBatchSize, keys.count)])
        for detail in try Detail.query(on: connection).filter(SQLExpression.in(.column(Detail.primaryKey), batch, negated: false)).all() {
            let key = try detail.encodeRows()[0].first { $0.column == Detail.primaryKey }?.value ?? .null
            found.append((key, detail))
        }
        start += batch.count
    }
    return found
}
