import Foundation
import Testing

@testable import TandemDatabase

/// The text forms both drivers bind for every timestamp and UUID: written by hand for speed, so
/// they are checked here against known values and Foundation's own forms.
@Suite("Timestamp and UUID text forms")
struct TextFormTests {
    @Test(
        "timestamps are written in UTC with microseconds",
        arguments: [
            (0.0, "1970-01-01 00:00:00.000000+00"),
            (-86_400.5, "1969-12-30 23:59:59.500000+00"),
            (1_700_000_000.123456, "2023-11-14 22:13:20.123456+00"),
            (951_782_400.000001, "2000-02-29 00:00:00.000001+00"),
            (253_402_300_799.0, "9999-12-31 23:59:59.000000+00"),
            (253_402_300_800.0, "10000-01-01 00:00:00.000000+00"),
            (-62_135_596_800.0, "0001-01-01 00:00:00.000000+00"),
        ])
    func timestampText(seconds: Double, text: String) {
        #expect(TimestampFormat.string(from: Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test("a written timestamp reads back as the same microsecond")
    func timestampRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let micros = Int64.random(in: -62_135_596_800_000_000...253_402_300_799_999_999, using: &generator)
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let text = TimestampFormat.string(from: date)
            let read = try #require(TimestampFormat.date(from: text), "\(text) does not parse")
            #expect(abs(read.timeIntervalSince(date)) < 0.000_001, "\(text)")
        }
    }

    @Test("UUIDs are written as Foundation writes them, in lowercase, and read back")
    func uuidText() {
        for _ in 0..<1_000 {
            let uuid = UUID()
            let text = UUIDText.string(uuid)
            #expect(text == uuid.uuidString.lowercased())
            #expect(UUIDText.uuid(text) == uuid)
        }
    }
}
