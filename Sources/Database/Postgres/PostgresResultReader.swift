import CLibPQ
import Foundation

/// Turns a libpq text-format result into rows, choosing each value's case from the column's type.
struct PostgresResultReader {
    private enum Kind {
        case integer, double, bool, bytes, timestamp, uuid, json, text
    }

    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    func rows() -> [Row] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        guard rowCount > 0 else { return [] }
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let kinds = (0..<columnCount).map { Self.kind(ofType: PQftype(result, $0)) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [DatabaseValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(.null)
                    continue
                }
                let bytes = UnsafeBufferPointer(
                    start: UnsafeRawPointer(PQgetvalue(result, row, column)).assumingMemoryBound(to: UInt8.self),
                    count: Int(PQgetlength(result, row, column)))
                values.append(Self.value(bytes, kind: kinds[Int(column)]))
            }
            rows.append(Row(columns: columns, values: values))
        }
        return rows
    }

    private static func kind(ofType oid: Oid) -> Kind {
        switch oid {
        case 20, 21, 23, 26: .integer  // int8, int2, int4, oid
        case 700, 701: .double  // float4, float8
        case 16: .bool
        case 17: .bytes
        case 1114, 1184: .timestamp
        case 2950: .uuid
        case 114, 3802: .json
        default: .text  // numeric stays exact as text; Int64 and Double read it
        }
    }

    private static func value(_ bytes: UnsafeBufferPointer<UInt8>, kind: Kind) -> DatabaseValue {
        switch kind {
        case .integer:
            if let int = parseInteger(bytes) { return .integer(int) }
        case .double:
            if let double = Double(String(decoding: bytes, as: UTF8.self)) { return .double(double) }
        case .bool:
            return .bool(bytes.first == UInt8(ascii: "t"))
        case .bytes:
            if let decoded = decodeHex(bytes) { return .bytes(decoded) }
        case .timestamp:
            if let date = TimestampFormat.date(from: bytes) { return .timestamp(date) }
        case .uuid:
            if let uuid = UUIDText.uuid(bytes) { return .uuid(uuid) }
        case .json:
            return .json(String(decoding: bytes, as: UTF8.self))
        case .text:
            break
        }
        return .text(String(decoding: bytes, as: UTF8.self))
    }

    private static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        var value: Int64 = 0
        for byte in bytes.dropFirst(negative ? 1 : 0) {
            guard byte >= 48, byte <= 57 else { return nil }
            // Accumulating negatively reaches Int64.min without overflow.
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    /// Decodes bytea's hex output form, `\x0a1b…`.
    private static func decodeHex(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            return nil
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            case 65...70: byte - 55
            default: nil
            }
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            decoded.append(high << 4 | low)
            index += 2
        }
        return decoded
    }
}
