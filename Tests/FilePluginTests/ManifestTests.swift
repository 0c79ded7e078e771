import TandemFile
import Testing

/// A digest of the right shape.
private let a = String(repeating: "a", count: 64)

/// `PULP_MANIFEST` parsing: every line checked, the first bad one named by number, never by text.
@Suite("File plugin: PULP_MANIFEST")
struct ManifestTests {
    @Test
    func parsesLinesSkippingBlankOnesAndCarriageReturns() throws {
        let manifest = try Manifest(parsing: "x/y.txt,\(a.uppercased()),12\r\n\n z,\(a),0\n")
        #expect(manifest.entries.map(\.relativePath) == ["x/y.txt", " z"])
        #expect(manifest.entries.map(\.digest) == [a, a])
        #expect(manifest.entries.map(\.size) == [12, 0])
        #expect(manifest.entries.map(\.line) == [1, 3])
        #expect(try Manifest(parsing: "").entries.isEmpty)
    }

    @Test(arguments: [
        ("a,b", 1, "expected 3 comma-separated fields (relative_path,sha256,size), found 2"),
        ("ok,\(a),1\n/abs,\(a),1", 2, "the relative path must be relative, without empty or .. parts"),
        ("a//b,\(a),1", 1, "the relative path must be relative, without empty or .. parts"),
        ("a,\(a)0,1", 1, "the digest is not a SHA-256 (64 hexadecimal digits)"),
        ("a,\(String(repeating: "g", count: 64)),1", 1, "the digest is not a SHA-256 (64 hexadecimal digits)"),
        ("a,\(a),1.5", 1, "the size is not a non-negative integer"),
        ("a,\(a),1\n\na,\(a),2", 3, "the relative path is listed already, on line 1"),
    ])
    func refusesTheFirstBadLine(_ text: String, line: Int, message: String) {
        #expect(throws: ManifestError(line: line, message: message)) { try Manifest(parsing: text) }
    }

    @Test
    func errorsNameTheLineButNotItsText() {
        let secret = "token=hunter2"
        do {
            _ = try Manifest(parsing: "\(secret),\(a)")
            Issue.record("a two-field line parsed")
        } catch {
            #expect(error.description.hasPrefix("PULP_MANIFEST line 1: "))
            #expect(!error.description.contains(secret))
        }
    }
}
