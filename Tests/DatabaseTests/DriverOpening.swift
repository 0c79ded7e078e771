import Logging

@testable import TandemDatabase

/// A connection to `location` made outside any ``Database``, for tests that build their own
/// ``ConnectionPool``; `wrap` may put a driver of the test's own around the real one.
func openTestConnection(
    _ location: DatabaseURL.Location, wrap: (any Driver) -> any Driver = { $0 }
) throws -> Connection {
    let driver: any Driver
    let dialect: Dialect
    switch location {
    case .postgres(let parameters):
        (driver, dialect) = (try PostgresDriver(parameters: parameters), .postgres)
    case .sqliteFile(let path):
        (driver, dialect) = (try SQLiteDriver(path: path, busyTimeout: .seconds(1)), .sqlite)
    case .sqliteMemory:
        (driver, dialect) = (try SQLiteDriver(path: ":memory:", busyTimeout: .seconds(1)), .sqlite)
    }
    return Connection(dialect: dialect, driver: wrap(driver), logger: Logger(label: "test"))
}
