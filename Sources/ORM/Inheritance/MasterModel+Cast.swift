import TandemDatabase

extension MasterModel {
    /// The most derived value this master row belongs to, read with all its fields: its
    /// registered detail type (a detail of a detail included); when that type is not registered,
    /// its nearest registered ancestor (the middle detail of a detail of a detail); the master
    /// itself when no detail level of the row is registered.
    /// - Throws: ``PersistenceError/missingDetailRow(table:key:)`` when the detail row is missing.
    public func cast(on source: some ConnectionSource, registry: ModelRegistry = .shared) throws
        -> any InheritanceMember
    {
        try Self.cast([self], on: source, registry: registry)[0]
    }

    /// Casts many master values, in order, with one query per detail type present (never one per row).
    public static func cast(
        _ masters: [Self], on source: some ConnectionSource, registry: ModelRegistry = .shared
    ) throws -> [any InheritanceMember] {
        try source.withConnection { connection in try castAll(masters, registry: registry, on: connection) }
    }

    /// Casts many master values that must all be of one detail type (or of a type extending it),
    /// with one query: `Remote.cast(masters, as: FileRemote.self, on: database)`. A value of a type
    /// extending `Detail` is read as a `Detail` (its `Detail` level and the levels above).
    /// - Throws: ``PersistenceError/wrongDetailType(expected:pulpType:position:)`` naming the first
    ///   value of another type, or ``DatabaseError``.
    public static func cast<Detail: DetailModel>(
        _ masters: [Self], as type: Detail.Type, on source: some ConnectionSource
    )
        throws -> [Detail] where Detail.Master == Self
    {
        try source.withConnection { connection in try castAll(masters, as: Detail.self, on: connection) }
    }

    /// Casts one master value; the async form of ``cast(on:registry:)``.
    public func cast(on source: some ConnectionSource, registry: ModelRegistry = .shared) async throws
        -> any InheritanceMember
    {
        try await Self.cast([self], on: source, registry: registry)[0]
    }

    /// Casts many master values; the async form of ``cast(_:on:registry:)``.
    public static func cast(
        _ masters: [Self], on source: some ConnectionSource, registry: ModelRegistry = .shared
    ) async throws -> [any InheritanceMember] {
        try await source.withAsyncConnection { connection in try castAll(masters, registry: registry, on: connection) }
    }

    /// Casts many master values of one detail type; the async form of ``cast(_:as:on:)``.
    public static func cast<Detail: DetailModel>(
        _ masters: [Self], as type: Detail.Type, on source: some ConnectionSource
    )
        async throws -> [Detail] where Detail.Master == Self
    {
        try await source.withAsyncConnection { connection in try castAll(masters, as: Detail.self, on: connection) }
    }

    /// Bound values per statement, under SQLite's default limit of 32,766.
    static var castBatchSize: Int { 30_000 }
}
