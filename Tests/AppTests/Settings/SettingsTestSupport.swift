import Foundation
import TandemApp
import Testing

/// Writes `text` to a fresh file, runs `body` with its path, and removes the file.
func withSettingsFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
    try withSettingsFile(Data(text.utf8), body)
}

/// Writes `data` to a fresh file, runs `body` with its path, and removes the file.
func withSettingsFile<T>(_ data: Data, _ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-settings-\(UUID().uuidString).yaml")
    try data.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// A loader that never finds a system-wide file, so the machine's /etc cannot change a test.
func loader(
    plugins: [PluginSettings] = [], file: String? = nil, environment: [String: String] = [:]
) -> SettingsLoader {
    SettingsLoader(
        plugins: plugins, file: file, environment: environment,
        systemFile: "/nonexistent/tandem-settings-\(UUID().uuidString).yaml")
}

/// The problems `body` throws as a ``SettingsError``, or nil when it throws none (another
/// error fails the test).
func settingsProblems(_ body: () throws -> Void) -> [SettingsProblem]? {
    do {
        try body()
        return nil
    } catch let error as SettingsError {
        return error.problems
    } catch {
        Issue.record("expected a SettingsError, got \(error)")
        return nil
    }
}
