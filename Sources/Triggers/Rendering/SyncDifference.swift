import TandemSchema

/// Describes how installed column sync code differs from the generated code, in words an
/// operator can act on.
enum SyncDifference {
    /// Problems with `installed`, the code of `object`, against `expected`: none when equal;
    /// otherwise the differences between the recorded sync and `sync` when the record says
    /// why, or a change by hand.
    static func code(of object: String, installed: String, expected: String, sync: ColumnSync) -> [String] {
        guard installed != expected else { return [] }
        if let recorded = SyncMarker.sync(in: installed), recorded != sync {
            let changes = expressions(recorded: recorded, expected: sync) + defaults(recorded: recorded, live: sync)
            if !changes.isEmpty { return changes.map { "\(object): \($0)" } }
        }
        return ["\(object) differs from the code Tandem generates for it (changed by hand?)"]
    }

    /// The column defaults that changed since `recorded` was installed.
    static func defaults(recorded: ColumnSync, live: ColumnSync) -> [String] {
        [(recorded.old, recorded.oldDefault, live.oldDefault), (recorded.new, recorded.newDefault, live.newDefault)]
            .compactMap {
                column, then, now in
                then == now
                    ? nil
                    : "installed when \"\(column)\" had default \(describe(then)); it now has \(describe(now)): install again"
            }
    }

    private static func expressions(recorded: ColumnSync, expected: ColumnSync) -> [String] {
        [("up", recorded.up, expected.up), ("down", recorded.down, expected.down)].compactMap {
            name, installed, wanted in
            installed == wanted ? nil : "installed with \(name) \(describe(installed)), expected \(describe(wanted))"
        }
    }

    private static func describe(_ expression: SchemaExpression?) -> String {
        expression.map { "`\($0.sql)`" } ?? "a plain copy"
    }

    private static func describe(_ value: ColumnDefault?) -> String {
        value.map { "`\($0.description)`" } ?? "no default"
    }
}
