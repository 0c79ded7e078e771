import Foundation
import TandemDatabase

extension MasterModel {
    /// The cast of many masters on one connection: registered types first, one query each, then
    /// the rows of unregistered types, tried against the registered detail types deepest first.
    static func castAll(_ masters: [Self], registry: ModelRegistry, on connection: Connection) throws
        -> [any InheritanceMember]
    {
        var keysByType: [String: [PrimaryKey]] = [:]
        var unregistered: [PrimaryKey] = []
        // Lists come in runs of one type: the registry is asked again only when the type changes.
        var lastType: String?
        var lastTypeIsRegistered = false
        let keys = try masters.map { master -> PrimaryKey in
            let key = try primaryKey(of: master)
            if master.pulpType != lastType {
                lastType = master.pulpType
                lastTypeIsRegistered = registry.detailType(of: Self.self, pulpType: master.pulpType) != nil
            }
            if lastTypeIsRegistered {
                keysByType[master.pulpType, default: []].append(key)
            } else if master.pulpType != Self.pulpType {
                unregistered.append(key)
            }
            return key
        }
        var details: [PrimaryKey: any InheritanceMember] = [:]
        for (pulpType, typeKeys) in keysByType {
            let detailType = registry.detailType(of: Self.self, pulpType: pulpType)!
            for (key, detail) in try fetchAnyDetails(detailType, keys: typeKeys, on: connection) {
                details[key] = detail
            }
            if let missing = typeKeys.first(where: { details[$0] == nil }) {
                throw PersistenceError.missingDetailRow(table: detailType.tableName, key: missing.value)
            }
        }
        if !unregistered.isEmpty {
            // A row of an unregistered type has rows in the tables of its ancestors: the deepest
            // registered type that finds one is its nearest registered ancestor.
            let candidates = registry.detailTypes(of: Self.self).sorted { $0.tableChain.count > $1.tableChain.count }
            var remaining = unregistered
            for detailType in candidates where !remaining.isEmpty {
                for (key, detail) in try fetchAnyDetails(detailType, keys: remaining, on: connection) {
                    details[key] = detail
                }
                remaining.removeAll { details[$0] != nil }
            }
        }
        return zip(masters, keys).map { master, key in details[key] ?? master }
    }

    /// The typed cast on one connection: one query on `Detail`'s tables for every key.
    static func castAll<Detail: DetailModel>(_ masters: [Self], as type: Detail.Type, on connection: Connection) throws
        -> [Detail] where Detail.Master == Self
    {
        let keys = try masters.map(primaryKey(of:))
        let found = Dictionary(
            try fetchDetails(Detail.self, keys: keys, on: connection), uniquingKeysWith: { first, _ in first })
        return try zip(masters, keys).enumerated().map { position, pair in
            guard let detail = found[pair.1] else {
                throw PersistenceError.wrongDetailType(
                    expected: "\(Detail.self)", pulpType: pair.0.pulpType, position: position)
            }
            return detail
        }
    }

    private static func primaryKey(of master: Self) throws -> PrimaryKey {
        PrimaryKey(try RowEncoder.value(of: primaryKey, in: master) ?? .null)
    }
}

/// Reads the detail values with these keys as `any InheritanceMember`, keyed by primary key.
private func fetchAnyDetails<Detail: DetailModel>(_ type: Detail.Type, keys: [PrimaryKey], on connection: Connection)
    throws
    -> [(PrimaryKey, any InheritanceMember)]
{
    try fetchDetails(type, keys: keys, on: connection).map { ($0.0, $0.1) }
}

/// Reads the detail values with these keys, keyed by primary key, naming the columns `Detail` reads.
private func fetchDetails<Detail: DetailModel>(_ type: Detail.Type, keys: [PrimaryKey], on connection: Connection)
    throws
    -> [(PrimaryKey, Detail)]
{
    var found: [(PrimaryKey, Detail)] = []
    found.reserveCapacity(keys.count)
    let chain = TableChain.of(Detail.self)
    let decode = RowDecoder.decoder(for: Detail.self)
    var start = 0
    while start < keys.count {
        let batch = keys[start..<min(start + Detail.Master.castBatchSize, keys.count)].map(\.value)
        var builder = SQLBuilder(dialect: connection.dialect)
        builder.append("SELECT \(chain.selectList) FROM \(chain.fromClause) WHERE \(chain.masterKey) IN (")
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
