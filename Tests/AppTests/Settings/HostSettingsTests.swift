import Logging
import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("The host's parts take their configuration from the settings")
struct HostSettingsTests {
    @Test("the built-in defaults are pulpcore's: TTLs 120/30/30 s, sha224-512, deprecations at warning")
    func defaults() throws {
        let settings = try loader().load()
        #expect(try settings.processTTLs() == ProcessTTLs.defaults)
        #expect(try settings.checksumPolicy() == ChecksumPolicy.default)
        #expect(try settings.deprecationLevel() == .warning)
        #expect(throws: ChecksumError.self) { try settings.checksumPolicy().hasher("md5") }
    }

    @Test("each layer reaches the part it configures")
    func overridden() throws {
        let settings = try loader(environment: [
            "TANDEM_PROCESS_TTL__WORKER": "9",
            "TANDEM_ALLOWED_CONTENT_CHECKSUMS": "[sha256, md5]",
            "TANDEM_LOGGING__LOGGERS": #"{dynaconf_merge: true, "tandem.deprecation": {level: error}}"#,
        ]).load()
        let ttls = try settings.processTTLs()
        #expect(ttls.worker == .seconds(9) && ttls.api == .seconds(120))
        #expect(ProcessConfiguration(kind: .worker, ttls: ttls).heartbeatInterval == .seconds(3))
        let md5 = try settings.checksumPolicy().hasher("md5")
        md5.update(Array("abc".utf8))
        #expect(md5.finalize() == "900150983cd24fb0d6963f7d28e17f72")
        #expect(try settings.deprecationLevel() == .error)
    }
}
