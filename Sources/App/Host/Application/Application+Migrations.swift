import TandemMigrations

extension Application {
    /// Each plugin's own migrations folder (`…/migrations/<label>`), in load order; plugins
    /// without migrations are left out.
    public var migrationFolders: [String] {
        plugins.compactMap { $0.migrationsFolder?.path }
    }

    /// Loads and lints every plugin's migrations as one set, as `tandem migrate` must: the set and
    /// its warnings, or every error with its file and line.
    /// - Throws: `MigrationFileErrors` (exit code 2).
    public func loadMigrations() throws(MigrationFileErrors) -> (set: MigrationSet, warnings: [LintFinding]) {
        let report = lintMigrations()
        guard let set = report.set, !report.hasErrors else {
            throw MigrationFileErrors(
                report.errors.map { MigrationFileError(path: $0.path, line: $0.line, message: $0.message) })
        }
        return (set, report.warnings)
    }

    /// Lints every plugin's migrations as one set, as `tandem lint` does.
    public func lintMigrations() -> LintReport {
        Lint.run(paths: migrationFolders)
    }
}
