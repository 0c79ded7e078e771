import Foundation
import TandemDatabase
import TandemORM

/// The benchmark's master model: pulpcore's Remote, trimmed to typical fields.
///
/// The key and timestamp have no default values: Swift evaluates a stored property's default
/// on every initialisation, decoding included, and `UUID()` reads the kernel's random source.
@Columns
struct BenchRemote: MasterModel {
    static let tableName = "bench_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    var pulpID: UUID
    var pulpType = ""
    var name: String
    var url: String
    var policy = "immediate"
    var downloadConcurrency: Int? = nil
    var created: Date

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", name, url, policy
        case downloadConcurrency = "download_concurrency", created
    }
}

/// The benchmark's detail model: pulp_file's FileRemote.
@Columns
struct BenchFileRemote: DetailModel {
    static let tableName = "bench_fileremote"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: BenchRemote
    var manifest: String?
}

/// The same shapes, filled by the hand-written baseline.
struct RawRemote {
    var pulpID: UUID
    var pulpType: String
    var name: String
    var url: String
    var policy: String
    var downloadConcurrency: Int?
    var created: Date
}

/// The hand-written baseline's detail value.
struct RawFileRemote {
    var master: RawRemote
    var manifest: String?
}

/// DDL for one pair of benchmark tables, named with `prefix` (`bench` or `raw`).
func benchTables(prefix: String, dialect: Dialect) -> String {
    let timestamp = dialect == .postgres ? "TIMESTAMPTZ" : "TIMESTAMP"
    return """
        DROP TABLE IF EXISTS \(prefix)_fileremote; DROP TABLE IF EXISTS \(prefix)_remote;
        CREATE TABLE \(prefix)_remote (
            pulp_id UUID PRIMARY KEY, pulp_type TEXT NOT NULL, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
            policy TEXT NOT NULL, download_concurrency BIGINT, created \(timestamp) NOT NULL);
        CREATE INDEX \(prefix)_remote_type ON \(prefix)_remote (pulp_type);
        CREATE TABLE \(prefix)_fileremote (
            pulp_id UUID PRIMARY KEY REFERENCES \(prefix)_remote (pulp_id) ON DELETE CASCADE, manifest TEXT);
        """
}
