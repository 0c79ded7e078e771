/// The topological order of migrations: each after its dependencies, ties broken by identity.
enum MigrationOrder {
    /// Sorts `migrations`, or throws every missing dependency and the cycles.
    ///
    /// - Parameters:
    ///   - known: identities of files that exist but were not loaded; a dependency on one is
    ///     not missing, and does not constrain the order of the loaded ones.
    ///   - lines: for messages, the line of each `depends_on` entry, by file and dependency.
    static func sort(
        _ migrations: [Migration], known: Set<MigrationID>, lines: [MigrationID: [MigrationID: Int]]
    ) throws(MigrationFileErrors) -> [Migration] {
        let byID = Dictionary(migrations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var errors: [MigrationFileError] = []
        for migration in migrations {
            for dependency in migration.dependsOn where byID[dependency] == nil && !known.contains(dependency) {
                errors.append(
                    MigrationFileError(
                        path: migration.path, line: lines[migration.id]?[dependency],
                        message: "depends_on names \(dependency), which does not exist"))
            }
        }
        var remaining = Dictionary(
            migrations.map { ($0.id, Set($0.dependsOn.filter { byID[$0] != nil })) }, uniquingKeysWith: { a, _ in a })
        var ordered: [Migration] = []
        while let next = remaining.filter({ $0.value.isEmpty }).keys.min() {
            remaining[next] = nil
            ordered.append(byID[next]!)
            for id in remaining.keys { remaining[id]?.remove(next) }
        }
        if !remaining.isEmpty {
            let cycle = findCycle(in: remaining)
            let first = byID[cycle[0]]!
            errors.append(
                MigrationFileError(
                    path: first.path, line: lines[first.id]?[cycle[1]],
                    message: "dependency cycle: " + cycle.map(\.description).joined(separator: " → ")))
        }
        guard errors.isEmpty else { throw MigrationFileErrors(errors) }
        return ordered
    }

    /// One cycle among the migrations left unsorted, starting and ending at its smallest member:
    /// every one of them waits on another of them, so following dependencies must come back.
    private static func findCycle(in waiting: [MigrationID: Set<MigrationID>]) -> [MigrationID] {
        var path: [MigrationID] = [waiting.keys.min()!]
        while true {
            let next = waiting[path.last!]!.filter { waiting[$0] != nil }.min()!
            if let start = path.firstIndex(of: next) {
                let loop = Array(path[start...])
                let smallest = loop.firstIndex(of: loop.min()!)!
                let rotated = Array(loop[smallest...] + loop[..<smallest])
                return rotated + [rotated[0]]
            }
            path.append(next)
        }
    }
}
