/// The migration files of an application, checked and in the order they apply.
///
/// ```swift
/// let set = try MigrationLoader.load(directory: "migrations")
/// for migration in set.migrations { print(migration.id, migration.phase) }
/// ```
///
/// Order: by number within a component, and after every migration named in `depends_on`
/// across components; among migrations free to go, by component name and number, so the
/// order is the same on every machine.
///
/// ## Topics
/// - ``MigrationLoader``
/// - ``Migration``
public struct MigrationSet: Sendable, Hashable {
    /// The migrations in apply order.
    public let migrations: [Migration]

    /// Orders `migrations`, checking that every dependency is among them (or in `known`, the
    /// identities of files that exist but were not loaded, as when linting a single file) and
    /// that they form no cycle.
    ///
    /// - Throws: ``MigrationFileErrors`` naming each missing dependency and each cycle.
    public init(_ migrations: [Migration], known: Set<MigrationID> = []) throws(MigrationFileErrors) {
        self.migrations = try MigrationOrder.sort(migrations, known: known, lines: [:])
    }

    /// A set already in apply order.
    init(ordered migrations: [Migration]) {
        self.migrations = migrations
    }

    /// The migration with this identity, if any.
    public func migration(_ id: MigrationID) -> Migration? {
        migrations.first { $0.id == id }
    }

    /// The components that have migrations, sorted.
    public var components: [String] {
        Set(migrations.map(\.id.component)).sorted()
    }

    /// The migrations of `component`, by number.
    public func migrations(of component: String) -> [Migration] {
        migrations.filter { $0.id.component == component }.sorted { $0.id.number < $1.id.number }
    }
}
