import CLibPQ
import Foundation

/// Bound values laid out as libpq wants them: one buffer of NUL-terminated texts, plus lengths
/// and formats. Bytes go in binary format, so they need no escaping; everything else is text,
/// and the server infers each parameter's type from the statement.
struct PostgresParameters {
    private var storage: [UInt8] = []
    private var offsets: [Int?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [DatabaseValue]) throws {
        storage.reserveCapacity(values.count * 40)
        offsets.reserveCapacity(values.count)
        lengths.reserveCapacity(values.count)
        formats.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
            case .bytes(let bytes):
                bytes.withUnsafeBufferPointer { append($0, format: 1) }
            case .text(let text), .json(let text):
                try appendText(text, refusingNUL: true)
            case .integer(let int): try appendText(String(int))
            case .double(let double): try appendText(Self.text(double))
            case .bool(let bool): try appendText(bool ? "t" : "f")
            case .timestamp(let date): try appendText(TimestampFormat.string(from: date))
            case .uuid(let uuid): try appendText(UUIDText.string(uuid))
            }
        }
    }

    /// Appends a text-format value; PostgreSQL's text cannot hold NUL, so a text that has one
    /// is refused rather than cut short.
    private mutating func appendText(_ text: String, refusingNUL: Bool = false) throws {
        var text = text
        try text.withUTF8 { bytes in
            if refusingNUL, let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil {
                throw DatabaseError(
                    kind: .statement, dialect: .postgres, code: "22021",
                    message: "text with a NUL character cannot be stored in PostgreSQL")
            }
            append(bytes, format: 0)
        }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, format: Int32) {
        offsets.append(storage.count)
        lengths.append(Int32(bytes.count))
        formats.append(format)
        storage.append(contentsOf: bytes)
        storage.append(0)
    }

    private static func text(_ double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Infinity" : "Infinity" }
        return String(double)
    }

    /// Calls `body` with the parameter count and the arrays `PQexecPrepared` takes.
    func withArrays<T>(
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> T
    ) rethrows -> T {
        try storage.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.flatMap { base?.advanced(by: $0) } }
            return try pointers.withUnsafeBufferPointer { pointerBuffer in
                try lengths.withUnsafeBufferPointer { lengthBuffer in
                    try formats.withUnsafeBufferPointer { formatBuffer in
                        try body(
                            Int32(offsets.count), pointerBuffer.baseAddress, lengthBuffer.baseAddress,
                            formatBuffer.baseAddress)
                    }
                }
            }
        }
    }
}
