import Foundation
import Testing

/// `tandem proxy-config nginx|apache [--output FILE]` through the binary. It reads no database.
@Suite("tandem proxy-config")
struct ProxyConfigCommandTests {
    @Test("both kinds, to standard output and to a file; the settings choose the paths")
    func writesSnippets() throws {
        try withTemporaryDirectory { folder in
            let nginx = try TandemProcess.run(["proxy-config", "nginx"])
            #expect(nginx.status == 0, "\(nginx)")
            #expect(nginx.output.contains("location /pulp/file/health/ {"))
            #expect(nginx.output.contains("location /pulp/api/v3/ {"))
            #expect(nginx.output.contains("proxy_pass http://pulp-content;"))

            let file = folder.appendingPathComponent("apache.conf")
            let environment = ["TANDEM_API_ROOT": "/custom/", "TANDEM_CONTENT_PATH_PREFIX": "/files/"]
            let apache = try TandemProcess.run(
                ["proxy-config", "apache", "--output", file.path], environment: environment)
            #expect(apache.status == 0, "\(apache)")
            #expect(apache.output.isEmpty)
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written.contains("ProxyPass /custom/file/health http://${pulp-api}/custom/file/health"))
            #expect(written.contains("ProxyPass /files http://${pulp-content}/files"))
        }
    }

    @Test("bad input exits 2, an unwritable output 1, and nothing is half-written")
    func refusals() throws {
        try withTemporaryDirectory { folder in
            let unknown = try TandemProcess.run(["proxy-config", "caddy"])
            #expect(unknown.status == 2, "\(unknown)")
            let badPrefix = try TandemProcess.run(
                ["proxy-config", "nginx"], environment: ["TANDEM_CONTENT_PATH_PREFIX": "/a;b/"])
            #expect(badPrefix.status == 2, "\(badPrefix)")
            #expect(badPrefix.errors.contains("content_path_prefix"), "\(badPrefix)")
            let missing = folder.appendingPathComponent("no/such/folder/nginx.conf")
            let unwritable = try TandemProcess.run(["proxy-config", "nginx", "--output", missing.path])
            #expect(unwritable.status == 1, "\(unwritable)")
            #expect(unwritable.errors.contains(missing.path), "\(unwritable)")
            #expect(!FileManager.default.fileExists(atPath: missing.path))
        }
    }
}
