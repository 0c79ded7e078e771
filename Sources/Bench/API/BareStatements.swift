import TandemDatabase

/// The SQL the bare server runs: the statements Tandem's API runs for the same requests, on the
/// `apibare_*` tables, written with `$n` placeholders (`?n` on SQLite).
struct BareStatements: Sendable {
    let ping: String
    let components: String
    let user: String
    let countName: String
    let insertMaster: String
    let insertDetail: String
    let count: String
    let page: String
    let one: String

    init(dialect: Dialect) {
        func sql(_ text: String) -> String { dialect == .sqlite ? text.replacingOccurrences(of: "$", with: "?") : text }
        let columns = """
            apibare_remote.pulp_id, pulp_type, pulp_created, pulp_last_updated, name, url, policy,
            download_concurrency, manifest
            """
        let join = "apibare_fileremote JOIN apibare_remote ON apibare_remote.pulp_id = apibare_fileremote.pulp_id"
        ping = "SELECT 1 AS ok"
        components = "SELECT id, kind, host, pid, versions, started_at, last_heartbeat FROM tandem_components"
        user = sql("SELECT pulp_id, username, password_hash, is_admin FROM core_user WHERE username = $1 LIMIT 1")
        countName = sql("SELECT COUNT(*) FROM \(join) WHERE name = $1")
        insertMaster = sql(
            """
            INSERT INTO apibare_remote (pulp_id, pulp_type, pulp_created, pulp_last_updated, name, url, policy,
                download_concurrency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """)
        insertDetail = sql("INSERT INTO apibare_fileremote (pulp_id, manifest) VALUES ($1, $2)")
        count = "SELECT COUNT(*) FROM \(join)"
        page = sql(
            "SELECT \(columns) FROM \(join) ORDER BY pulp_created DESC, apibare_remote.pulp_id LIMIT $1 OFFSET $2")
        one = sql("SELECT \(columns) FROM \(join) WHERE apibare_remote.pulp_id = $1 LIMIT 1")
    }
}
