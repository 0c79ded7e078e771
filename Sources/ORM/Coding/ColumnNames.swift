import Synchronization

/// The columns a model type reads from its own table, found once per type: what `@Columns`
/// lists, or, for a plain `Decodable` model, the keys its `init(from:)` asks for.
enum ColumnNames {
    private static let cache = Mutex<[ObjectIdentifier: [String]]>([:])

    /// The columns `type` reads from its own table, in the order it reads them; a detail model's
    /// `parent` is not one of them (its levels read their own tables' columns).
    /// - Throws: ``ModelDefinitionError/unreadableColumns(type:reason:)`` when a plain `Decodable`
    ///   model's keys cannot be found.
    static func own<T: Decodable>(_ type: T.Type) throws(ModelDefinitionError) -> [String] {
        if let fast = T.self as? any RowDecodable.Type { return fast.columnNames }
        if let names = cache.withLock({ $0[ObjectIdentifier(type)] }) { return names }
        let names = try KeyRecorder.keys(of: type)
        cache.withLock { $0[ObjectIdentifier(type)] = names }
        return names
    }
}
