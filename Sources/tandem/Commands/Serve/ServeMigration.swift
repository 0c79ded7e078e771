import TandemDatabase
import TandemMigrations

/// The migrations `tandem serve` checks before serving, and `--migrate`'s run. Blocking: call
/// through ``OffPool``.
enum ServeMigration {
    /// The migrations not yet applied, by name, with their phase.
    static func pending(database: Database, migrations set: MigrationSet) throws -> [(id: String, breaking: Bool)] {
        try Migrator(database: database, migrations: set).status().pending.map {
            (id: "\($0.migration.id)", breaking: $0.migration.phase == .breaking)
        }
    }

    /// Applies every pending compatible migration, unless a breaking one is pending: then it
    /// applies nothing and throws the refusal, so serving never starts on a half-upgraded plan.
    static func applyCompatible(database: Database, migrations set: MigrationSet) throws -> MigrationReport {
        let pending = try pending(database: database, migrations: set)
        if pending.contains(where: \.breaking) { throw ServeRefusal(pending: pending) }
        return try Migrator(database: database, migrations: set).migrate()
    }
}
