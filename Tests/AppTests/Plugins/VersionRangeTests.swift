import TandemApp
import TandemMigrations
import Testing

@Suite("VersionRange: the releases of another plugin a plugin works with")
struct VersionRangeTests {
    @Test("compatible(with:) runs to the next major release, or the next minor one below 1.0.0")
    func compatible() {
        let range = VersionRange.compatible(with: "1.2.0")
        #expect(range.description == ">=1.2.0, <2.0.0")
        #expect(range.contains("1.2.0") && range.contains("1.99.3"))
        #expect(!range.contains("1.1.9") && !range.contains("2.0.0") && !range.contains("1.2.0-rc.1"))
        #expect(range.contains("2.0.0-rc.1"), "a pre-release of 2.0.0 sorts before 2.0.0")
        let zero = VersionRange.compatible(with: "0.3.1")
        #expect(zero.description == ">=0.3.1, <0.4.0")
        #expect(zero.contains("0.3.9") && !zero.contains("0.4.0"))
    }

    @Test("closed, half-open and open ranges")
    func bounds() {
        let closed = VersionRange("2.3.0"..."4.4.2")
        #expect(closed.description == ">=2.3.0, <=4.4.2")
        #expect(closed.contains("2.3.0") && closed.contains("4.4.2"))
        #expect(!closed.contains("4.4.3") && !closed.contains("2.2.9") && !closed.contains("4.4.3-rc.1"))
        #expect(VersionRange("1.0.0"..<"1.5.0").description == ">=1.0.0, <1.5.0")
        #expect(!VersionRange("1.0.0"..<"1.5.0").contains("1.5.0"))
        #expect(VersionRange("3.0.0"...).description == ">=3.0.0")
        #expect(VersionRange("3.0.0"...).contains("300.0.0"))
        #expect(VersionRange(..."4.4.2").description == "<=4.4.2")
        #expect(VersionRange(..."4.4.2").contains("0.0.0") && !VersionRange(..."4.4.2").contains("4.5.0"))
        #expect(VersionRange(minimum: nil, upperBound: .below("2.0.0")).description == "<2.0.0")
        #expect(VersionRange.any.description == "any")
        #expect(VersionRange.any.contains("0.0.1-alpha"))
        #expect(!VersionRange(minimum: "1.0.0", upperBound: .below("1.0.0")).contains("1.0.0"))
        #expect(VersionRange("1.0.0"..."1.0.0").contains("1.0.0"))
    }
}
