import Logging

extension Settings {
    /// Every kind's heartbeat TTL, from `process_ttl.api`, `process_ttl.content` and
    /// `process_ttl.worker` (seconds).
    ///
    /// - Throws: ``SettingsError`` naming the key when one is missing or not an integer;
    ///   ``ProcessConfigurationError`` when one is not positive (the built-in validators refuse
    ///   both before this is reached).
    public func processTTLs() throws -> ProcessTTLs {
        func ttl(_ kind: ProcessKind) throws -> Duration { .seconds(try int(kind.ttlSettingKey)) }
        return try ProcessTTLs(api: ttl(.api), content: ttl(.content), worker: ttl(.worker))
    }

    /// The checksum policy of `allowed_content_checksums`: the hashers plugins may get.
    ///
    /// - Throws: ``SettingsError`` when the key is missing or not a list of strings;
    ///   ``ChecksumPolicyError`` for an unknown algorithm or a list without sha256.
    public func checksumPolicy() throws -> ChecksumPolicy {
        try ChecksumPolicy(allowed: strings(ChecksumPolicy.settingKey))
    }

    /// The level of the `tandem.deprecation` logger, `logging.loggers."tandem.deprecation".level`:
    /// `error` silences deprecation warnings.
    ///
    /// - Throws: ``SettingsError`` when the value is not one of swift-log's level names.
    public func deprecationLevel() throws -> Logger.Level {
        let key = Deprecation.levelSettingKey
        let name = try string(key)
        guard let level = Logger.Level(rawValue: name) else {
            throw SettingsError(problems: [
                SettingsProblem(
                    key: key, source: source(of: key),
                    message: "must be one of \(BuiltInSettings.logLevels.joined(separator: ", ")), got '\(name)'")
            ])
        }
        return level
    }
}
