import Foundation
import TandemDatabase

/// Collects a model's columns for ``RowEncodable`` models (the code `@Columns` writes).
public final class ColumnWriter {
    /// The columns written so far, in order.
    public private(set) var columns: [(column: String, value: DatabaseValue)] = []

    /// The one column a writer made by ``init(only:)`` keeps; nil keeps every column.
    @usableFromInline let only: String?

    /// An empty writer.
    public init() {
        only = nil
        columns.reserveCapacity(12)
    }

    /// A writer that keeps one column and drops the others: reading a primary key this way costs
    /// no array of every column.
    init(only column: String) {
        only = column
    }

    @usableFromInline
    func append(_ name: String, _ value: DatabaseValue) {
        if let only, name != only { return }
        columns.append((name, value))
    }

    // Concrete overloads win over the generic `Encodable` one below, so `@Columns`'s
    // `try columns.write("x", self.x)` takes the direct path for every common column type.
    /// Writes a `String` column.
    @inlinable public func write(_ name: String, _ value: String) throws { append(name, value.databaseValue) }
    /// Writes a nullable `String` column.
    @inlinable public func write(_ name: String, _ value: String?) throws { append(name, value.databaseValue) }
    /// Writes a `Int` column.
    @inlinable public func write(_ name: String, _ value: Int) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Int` column.
    @inlinable public func write(_ name: String, _ value: Int?) throws { append(name, value.databaseValue) }
    /// Writes a `Int64` column.
    @inlinable public func write(_ name: String, _ value: Int64) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Int64` column.
    @inlinable public func write(_ name: String, _ value: Int64?) throws { append(name, value.databaseValue) }
    /// Writes a `Int32` column.
    @inlinable public func write(_ name: String, _ value: Int32) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Int32` column.
    @inlinable public func write(_ name: String, _ value: Int32?) throws { append(name, value.databaseValue) }
    /// Writes a `Double` column.
    @inlinable public func write(_ name: String, _ value: Double) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Double` column.
    @inlinable public func write(_ name: String, _ value: Double?) throws { append(name, value.databaseValue) }
    /// Writes a `Bool` column.
    @inlinable public func write(_ name: String, _ value: Bool) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Bool` column.
    @inlinable public func write(_ name: String, _ value: Bool?) throws { append(name, value.databaseValue) }
    /// Writes a `Date` column.
    @inlinable public func write(_ name: String, _ value: Date) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Date` column.
    @inlinable public func write(_ name: String, _ value: Date?) throws { append(name, value.databaseValue) }
    /// Writes a `UUID` column.
    @inlinable public func write(_ name: String, _ value: UUID) throws { append(name, value.databaseValue) }
    /// Writes a nullable `UUID` column.
    @inlinable public func write(_ name: String, _ value: UUID?) throws { append(name, value.databaseValue) }
    /// Writes a `Data` column.
    @inlinable public func write(_ name: String, _ value: Data) throws { append(name, value.databaseValue) }
    /// Writes a nullable `Data` column.
    @inlinable public func write(_ name: String, _ value: Data?) throws { append(name, value.databaseValue) }

    /// Writes any other `Encodable` column: enums with raw values, or structured values as JSON.
    public func write<T: Encodable>(_ name: String, _ value: T) throws {
        append(name, try RowEncoder.databaseValue(value))
    }
}
