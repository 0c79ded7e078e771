import Foundation

/// The hand-written side of `tandem-bench orm`: the same statements as the ORM runs, prepared
/// once and executed through the C driver directly, filling plain structs.
protocol RawBaseline: AnyObject {
    /// Creates the raw tables.
    func setUp() throws
    /// Inserts each value's master and detail rows in one transaction.
    func create(_ values: [RawFileRemote]) throws
    /// Reads each value by primary key with the master/detail join; returns how many were found.
    func get(_ keys: [UUID]) throws -> Int
    /// Reads every master row of the `file.file` type.
    func listMasters() throws -> [RawRemote]
    /// Reads the detail values of these masters with one `IN (…)` query.
    func cast(_ masters: [RawRemote]) throws -> [RawFileRemote]
}

/// Column lists shared by both baselines, the same as the ORM's tables.
enum RawSQL {
    static let masterColumns = "pulp_id, pulp_type, name, url, policy, download_concurrency, created"
    static let joinedColumns =
        "raw_remote.pulp_id, pulp_type, name, url, policy, download_concurrency, created, manifest"
    static let insertMaster =
        "INSERT INTO raw_remote (\(masterColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    static let insertDetail = "INSERT INTO raw_fileremote (pulp_id, manifest) VALUES ($1, $2)"
    static let join = "raw_remote JOIN raw_fileremote ON raw_fileremote.pulp_id = raw_remote.pulp_id"
    static let get = "SELECT \(joinedColumns) FROM \(join) WHERE raw_remote.pulp_id = $1"
    static let list = "SELECT \(masterColumns) FROM raw_remote WHERE pulp_type = $1"

    static func cast(count: Int) -> String {
        "SELECT \(joinedColumns) FROM \(join) WHERE raw_remote.pulp_id IN ("
            + (1...count).map { "$\($0)" }.joined(separator: ", ") + ")"
    }
}

struct RawBenchmarkError: Error, CustomStringConvertible {
    let description: String
}
