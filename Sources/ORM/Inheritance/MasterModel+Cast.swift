import Foundation
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
        var keysByType: [String: [PrimaryKey]] = [:]
        let keys = try masters.map { master -> PrimaryKey in
            let key = PrimaryKey(try RowEncoder.value(of: primaryKey, in: master) ?? .null)
            if registry.detailType(of: Self.self, pulpType: master.pulpType) != nil { keysByType[master.pulpType, default: []].append(key) }
            return key
        }
        var details: [PrimaryKey: any InheritanceMember] = [:]
        try source.withConnection { connection in
            for (pulpType, typeKeys) in keysByType {
                let detailType = registry.detailType(of: Self.self, pulpType: pulpType)!
                for (key, detail) in try fetchDetails(detailType, keys: typeKeys, on: connection) { details[key] = detail }
                if let missing = typeKeys.first(where: { details[$0] == nil }) {
                    throw PersistenceError.missingDetailRow(table: detailType.tableName, key: missing.value)
                }
            }
        }
        return zip(masters, keys).map { master, key in details[key] ?? master }
    }

    /// Bound values per statement, under SQLite's default limit of 32,766.
    static var castBatchSize: Int { 30_000 }
}

/// Reads the detail values with these keys, keyed by primary key.
private func fetchDetails<Detail: DetailModel>(_ type: Detail.Type, keys: [PrimaryKey], on connection: Connection) throws
    -> [(PrimaryKey, any InheritanceMember)]
{
    var found: [(PrimaryKey, any InheritanceMember)] = []
    found.reserveCapacity(keys.count)
    let chain = TableChain.of(Detail.self)
    let decode = RowDecoder.decoder(for: Detail.self)
    var start = 0
    while start < keys.count {
        let batch = keys[start..<min(start + Detail.Master.castBatchSize, keys.count)].map(\.value)
        var builder = SQLBuilder(dialect: connection.dialect)
        builder.append("SELECT * FROM \(chain.fromClause) WHERE \(chain.masterKey) IN (")
        for (index, key) in batch.enumerated() {
            if index > 0 { builder.append(", ") }
            builder.bind(key)
        }
        builder.append(")")
        for row in try connection.query(builder.sql, builder.values) {
            found.append((PrimaryKey(row[Detail.primaryKey] ?? .null), try decode(row)))
        }
        start += batch.count
    }
    return found
}

/// A primary key as a dictionary key: UUID text (a SQLite column not declared `UUID`) compares
/// equal to the UUID a model encodes.
struct PrimaryKey: Hashable {
    let value: DatabaseValue
    private let normalized: DatabaseValue

    init(_ value: DatabaseValue) {
        self.value = value
        if case .text(let text) = value, let uuid = UUID.fromDatabaseValue(.text(text)) {
            normalized = .uuid(uuid)
        } else {
            normalized = value
        }
    }

    static func == (left: PrimaryKey, right: PrimaryKey) -> Bool { left.normalized == right.normalized }
    func hash(into hasher: inout Hasher) { hasher.combine(normalized) }
}
