/// The error `body` throws, or nil when it returns.
///
/// Tests use this instead of `#expect(throws:)` when the body holds closures of its own:
/// Swift 6.3.1 can give a closure nested in one macro argument the same symbol as a closure
/// elsewhere in the test, and then runs the wrong one.
public func thrownError(_ body: () throws -> Void) -> (any Error)? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

/// The error the async `body` throws, or nil when it returns; see the synchronous version.
public func thrownError(_ body: () async throws -> Void) async -> (any Error)? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
