import TandemDatabase

// The async entry points for server code: the same statements as the synchronous ones, run
// through the source's async API (``ConnectionSource/withAsyncConnection(_:)``), so the caller
// suspends instead of blocking a thread of Swift's cooperative pool.

extension Model {
    /// Validates and inserts this value; the async form of ``create(on:)``.
    public mutating func create(on source: some ConnectionSource) async throws {
        let rows = try rowsToInsert()
        let generated = try await source.withAsyncConnection { connection in try Self.insert(rows, on: connection) }
        if let generated { didInsert(primaryKey: generated) }
    }

    /// Validates and writes this value's columns; the async form of ``update(on:)``.
    public func update(on source: some ConnectionSource) async throws {
        try checkValid()
        let rows = try encodeRows()
        let keyValue = try primaryKeyValue(rows)
        try await source.withAsyncConnection { connection in try Self.update(rows, key: keyValue, on: connection) }
    }

    /// Deletes this value; the async form of ``delete(on:)``.
    public func delete(on source: some ConnectionSource) async throws {
        let keyValue = try primaryKeyValue(try encodeRows())
        try await source.withAsyncConnection { connection in try Self.delete(key: keyValue, on: connection) }
    }

    /// The value whose primary key is `key`, or nil; the async form of ``find(_:on:)``.
    ///
    /// Inlinable, so it is specialised for the model in the caller's module: unspecialised, every
    /// call looked up the metadata of `Self?` in the runtime's cache, which the connection's thread
    /// reads too (most likely why it cost more than the lookup itself). In `tandem-bench orm`
    /// (SQLite) that was 0.4 of the 2.3 µs an async single-row get adds to a synchronous one.
    @inlinable
    public static func find(_ key: some DatabaseValueConvertible, on source: some ConnectionSource) async throws
        -> Self?
    {
        let value = key.databaseValue
        return try await source.withAsyncConnection { connection in try fetchOne(key: value, on: connection) }
    }
}

extension Query {
    /// Every matching value; the async form of ``all()``.
    public func all() async throws -> [M] {
        try await source.withAsyncConnection { connection in try fetchAll(on: connection) }
    }

    /// The first matching value, or nil; the async form of ``first()``.
    public func first() async throws -> M? {
        try await limit(1, offset: offset).all().first
    }

    /// How many rows match; the async form of ``count()``.
    public func count() async throws -> Int {
        try await source.withAsyncConnection { connection in try fetchCount(on: connection) }
    }

    /// Updates the matching rows and returns how many changed; the async form of ``update(_:)``.
    @discardableResult
    public func update(_ assignments: Assignment...) async throws -> Int {
        precondition(!assignments.isEmpty, "an update needs at least one assignment")
        return try await source.withAsyncConnection { connection in try runUpdate(assignments, on: connection) }
    }

    /// Deletes the matching rows and returns how many were deleted; the async form of ``delete()``.
    @discardableResult
    public func delete() async throws -> Int {
        try await source.withAsyncConnection { connection in try runDelete(on: connection) }
    }
}
