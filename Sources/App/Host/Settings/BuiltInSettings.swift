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
          api: 120
          content: 30
          worker: 30
        allowed_content_checksums: [sha224, sha256, sha384, sha512]
        logging:
          loggers:
            tandem.deprecation:
              level: warning
        working_directory: .tandem/work
        immediate_task_time_limit: 5  # seconds an immediate task may run, and its caller wait for its end to be recorded
        storage:
          path: .tandem/storage
        api:  # where `tandem serve` listens; --bind and --port override
          bind: 127.0.0.1
          port: 24817  # 0: any free port
        content_path_prefix: /pulp/content/
        """

    /// The checksum algorithms Tandem knows (``ChecksumAlgorithm``).
    public static let knownChecksums = ChecksumAlgorithm.allCases.map(\.rawValue)

    /// swift-log's level names, for logger levels.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The checks on the built-in settings.
    public static let validators: [SettingValidator] =
        databaseURL + apiRoot + api + checksums + logging + paths + processTTLs

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

    private static let apiRoot: [SettingValidator] = ["api_root", "content_path_prefix"].flatMap {
        key -> [SettingValidator] in
        [
            .required(key), .type(key, .string),
            .custom(key) { value in
                guard case .string(let text) = value else { return nil }
                return BuiltInSettings.urlPathProblem(text)
            },
        ]
    }

    /// What is wrong with a URL path prefix setting (`api_root`, `content_path_prefix`), or nil:
    /// it starts and ends with `/` and holds only letters, digits and `-._~/`, so it can be
    /// routed and written into a reverse proxy's configuration as it is.
    public static func urlPathProblem(_ text: String) -> String? {
        guard text.hasPrefix("/"), text.hasSuffix("/") else { return "must start and end with '/', like /pulp/" }
        let plain = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~/".contains($0)) }
        guard plain, !text.contains("//") else {
            return "must hold only letters, digits and -._~ between single '/', like /pulp/"
        }
        return nil
    }

    /// The ports `api.port` may name; 0 asks for any free port.
    public static let portRange: ClosedRange<Int> = 0...65535

    private static let api: [SettingValidator] = [
        .required("api.bind"), .type("api.bind", .string),
        .custom("api.bind") { value in
            guard case .string(let text) = value else { return nil }
            return text.isEmpty || text.contains(where: \.isWhitespace) ? "must be a host name or an address" : nil
        },
        .required("api.port"), .type("api.port", .int),
        .range("api.port", Double(portRange.lowerBound)...Double(portRange.upperBound)),
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
        .required("immediate_task_time_limit"), .range("immediate_task_time_limit", 0.001...86_400),
        .required("storage.path"), .type("storage.path", .string),
    ]

    private static let processTTLs: [SettingValidator] = ["api", "content", "worker"].flatMap {
        kind -> [SettingValidator] in
        let key = "process_ttl.\(kind)"
        return [.required(key), .type(key, .int), .range(key, 1...86_400)]
    }
}
