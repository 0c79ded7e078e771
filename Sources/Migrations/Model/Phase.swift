/// When a migration may run relative to the rollout of the code that needs it.
public enum Phase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Safe while earlier code still runs: applied by `tandem migrate` before the rollout.
    case compatible
    /// Breaks earlier code: applied by `tandem migrate --breaking` once no live component is
    /// older than the migration's `requires`.
    case breaking
}
