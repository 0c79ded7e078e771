import Synchronization

/// Counts failed logins per user name and source address in a sliding window; past the limit,
/// attempts are refused before their password is checked.
final class LoginRateLimiter: Sendable {
    private struct Key: Hashable {
        let name: String
        let address: String
    }

    private let limit: Int
    private let window: Duration
    private let capacity: Int
    private let failures = Mutex([Key: [ContinuousClock.Instant]]())

    init(limit: Int, window: Duration, capacity: Int) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
    }

    /// How long until this name and address may try again; nil when they may now.
    func retryAfter(name: String, address: String) -> Duration? {
        let now = ContinuousClock.now
        return failures.withLock { failures in
            let key = Key(name: name, address: address)
            let recent = (failures[key] ?? []).filter { now - $0 < window }
            failures[key] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return window - (now - oldest)
        }
    }

    /// Records a failed login.
    func recordFailure(name: String, address: String) {
        let now = ContinuousClock.now
        failures.withLock { failures in
            if failures.count >= capacity {
                failures = failures.filter { $0.value.contains { now - $0 < window } }
                if failures.count >= capacity { failures.removeAll() }
            }
            failures[Key(name: name, address: address), default: []].append(now)
        }
    }

    /// Forgets the failures of a name and address after a successful login.
    func reset(name: String, address: String) {
        _ = failures.withLock { $0.removeValue(forKey: Key(name: name, address: address)) }
    }
}
