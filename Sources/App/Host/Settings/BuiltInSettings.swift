import TandemDatabase

/// Tandem's own settings: the lowest layer, and the validators that keep them sane.
public enum BuiltInSettings {
    /// The built-in defaults, as YAML.
    ///
    /// `database_url` has the CLI's embedded default, and `TANDEM_DATABASE_URL` (the variable
    /// the CLI's `--database` falls back to) sets it through the environment layer.
    public static let defaultsYAML = """
        database_url: \(DatabaseURL.embeddedDefault)
        api_root: /pulp/
        process_ttl:  # seconds a process stays live after its last heartbeat
          api: 60
          content: 60
          worker: 30
        allowed_content_checksums: [sha224, sha256, sha384, sha512]
        logging:
          loggers:
            tandem.deprecation:
              level: warning
        working_directory: .tandem/work
        storage:
          path: .tandem/storage
        """

    /// The checksum algorithms Tandem knows.
    public static let knownChecksums = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]

    /// swift-log's level names, for logger levels.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The checks on the built-in settings.
    public static let validators: [SettingValidator] =
        databaseURL + apiRoot + checksums + logging + paths + processTTLs

    private static let databaseURL: [SettingValidator] = [
        .required("database_url"), .type("database_url", .string),
        .custom("database_url") { value in
            guard case .string(let text) = value else { return nil }
            do throws(DatabaseURLError) {
                _ = try DatabaseURL(text)
                return nil
            } catch {
                return "not a usable database URL: \(error.reason)"
            }
        },
    ]

    private static let apiRoot: [SettingValidator] = [
        .required("api_root"), .type("api_root", .string),
        .custom("api_root") { value in
            guard case .string(let text) = value else { return nil }
            return text.hasPrefix("/") && text.hasSuffix("/") ? nil : "must start and end with '/', like /pulp/"
        },
    ]

    private static let checksums: [SettingValidator] = [
        .required("allowed_content_checksums"), .type("allowed_content_checksums", .list),
        .mustContain("allowed_content_checksums", .string("sha256")),
        .custom("allowed_content_checksums") { value in
            guard case .list(let items) = value else { return nil }
            let known = BuiltInSettings.knownChecksums
            let unknown = items.filter { item in !known.contains { item == .string($0) } }
            guard !unknown.isEmpty else { return nil }
            let names = unknown.map { item -> String in
                if case .string(let name) = item { return "'\(name)'" }
                return item.kindDescription
            }
            return "names unknown algorithms \(names.joined(separator: ", ")); known: \(known.joined(separator: ", "))"
        },
    ]

    private static let logging: [SettingValidator] = [
        .oneOf(#"logging.loggers."tandem.deprecation".level"#, BuiltInSettings.logLevels.map { .string($0) })
    ]

    private static let paths: [SettingValidator] = [
        .required("working_directory"), .type("working_directory", .string),
        .required("storage.path"), .type("storage.path", .string),
    ]

    private static let processTTLs: [SettingValidator] = ["api", "content", "worker"].flatMap {
        kind -> [SettingValidator] in
        let key = "process_ttl.\(kind)"
        return [.required(key), .type(key, .int), .range(key, 1...86_400)]
    }
}
