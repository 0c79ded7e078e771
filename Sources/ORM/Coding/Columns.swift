import Foundation
import TandemDatabase

/// Declares direct column coding for a model: `@Columns struct Remote: MasterModel { … }`.
///
/// The ORM reads and writes any `Codable` model; this macro writes ``RowDecodable`` and
/// ``RowEncodable`` conformances that read and write each stored property straight from and to
/// its column, several times faster than `Codable`'s keyed containers. Column names follow
/// `Codable`: a `CodingKeys` enum's raw values when the type declares one, else the property names.
@attached(
    extension, conformances: RowDecodable, RowEncodable, names: named(columnNames), named(init(columns:)),
    named(encodeColumns(to:)))
public macro Columns() = #externalMacro(module: "TandemMacros", type: "ColumnsMacro")

/// A model that decodes itself from a row's columns; write it with the ``Columns()`` macro.
public protocol RowDecodable {
    /// The columns ``init(columns:)`` reads, in order (a detail model's own level only): the ORM
    /// selects exactly these, so columns added to the table later never change what it reads.
    static var columnNames: [String] { get }
    /// Reads every stored property from its column.
    init(columns: ColumnReader) throws
}

extension RowDecodable {
    /// Reads a value of this type from `columns` and returns it as `T`, which must be this type:
    /// called on `T.self as? any RowDecodable.Type`, it opens that existential, so the value is
    /// never boxed in one (an allocation per row, and a runtime cache lookup that the threads of an
    /// async call would contend for) and cast back.
    static func decode<T>(columns: ColumnReader, as _: T.Type) throws -> T {
        try Self(columns: columns) as! T
    }
}

/// A model that writes its own columns (a detail model: its own level only); write it with the
/// ``Columns()`` macro.
public protocol RowEncodable {
    /// Writes every stored property to its column, in declaration order.
    func encodeColumns(to columns: ColumnWriter) throws
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
