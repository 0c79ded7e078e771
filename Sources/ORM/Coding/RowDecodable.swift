import Foundation
import TandemDatabase

/// Declares fast row decoding for a model: `@RowDecodable struct Remote: MasterModel { … }`.
///
/// The ORM decodes any `Decodable` model; this macro writes an ``RowDecodable`` conformance
/// whose `init(columns:)` reads each stored property straight from its column, several times
/// faster than `Decodable`'s keyed containers. Column names follow `Decodable`: a `CodingKeys`
/// enum's raw values when the type declares one, else the property names.
@attached(extension, conformances: RowDecodable, names: named(init(columns:)))
public macro RowDecodable() = #externalMacro(module: "TandemMacros", type: "RowDecodableMacro")

/// A model that decodes itself from a row's columns; write it with the ``RowDecodable()`` macro.
public protocol RowDecodable {
    /// Reads every stored property from its column.
    init(columns: ColumnReader) throws
}

/// A Swift type stored in one column that ``ColumnReader`` converts without `Decodable`.
public protocol ColumnValue: Decodable, DatabaseValueConvertible {}

extension String: ColumnValue {}
extension Int: ColumnValue {}
extension Int64: ColumnValue {}
extension Int32: ColumnValue {}
extension Double: ColumnValue {}
extension Bool: ColumnValue {}
extension Date: ColumnValue {}
extension UUID: ColumnValue {}
extension Data: ColumnValue {}
