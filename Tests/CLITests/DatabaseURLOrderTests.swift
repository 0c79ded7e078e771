import Foundation
import TandemDatabase
import TandemTesting
import Testing

/// `--database` > `TANDEM_DATABASE_URL` > the settings file's `database_url` > the embedded
/// default, with the built binary (`db check` prints the URL it used).
@Suite("The database URL comes from the flag, the environment, the settings file, then the default")
struct DatabaseURLOrderTests {
    private func settingsFile(in folder: URL, _ yaml: String) throws -> String {
        let file = folder.appendingPathComponent("settings.yaml")
        try Data(yaml.utf8).write(to: file)
        return file.path
    }

    @Test(arguments: TestDatabaseKind.engines)
    func theSettingsFilesDatabaseURLIsUsedWithoutFlagOrVariable(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try withTemporaryDirectory { folder in
            let settings = try settingsFile(in: folder, "database_url: '\(test.url)'\n")
            let run = try TandemProcess.run(["migrate"], environment: ["TANDEM_SETTINGS": settings], in: folder)
            #expect(run.status == 0, "\(run)")
            // The migrations went into the settings' database, and no default file was made.
            let applied = try test.database.withConnection {
                try $0.query("SELECT count(*) FROM tandem_migrations")[0].decode(Int.self, at: 0)
            }
            #expect(applied > 0)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("tandem.sqlite3").path))
        }
    }

    @Test func theVariableBeatsTheSettingsFileAndTheFlagBeatsBoth() throws {
        try withTemporaryDirectory { folder in
            let fromSettings = "sqlite://" + folder.appendingPathComponent("settings.sqlite3").path
            let fromEnvironment = "sqlite://" + folder.appendingPathComponent("env.sqlite3").path
            let fromFlag = "sqlite://" + folder.appendingPathComponent("flag.sqlite3").path
            let settings = try settingsFile(in: folder, "database_url: \(fromSettings)\n")

            let file = try TandemProcess.run(["db", "check"], environment: ["TANDEM_SETTINGS": settings], in: folder)
            #expect(file.status == 0, "\(file)")
            #expect(file.output.hasPrefix("database: \(fromSettings)\n"), "\(file)")

            let environment = ["TANDEM_SETTINGS": settings, DatabaseURL.environmentVariable: fromEnvironment]
            let variable = try TandemProcess.run(["db", "check"], environment: environment, in: folder)
            #expect(variable.output.hasPrefix("database: \(fromEnvironment)\n"), "\(variable)")

            // An empty variable counts as unset.
            let empty = try TandemProcess.run(
                ["db", "check"], environment: ["TANDEM_SETTINGS": settings, DatabaseURL.environmentVariable: ""],
                in: folder)
            #expect(empty.output.hasPrefix("database: \(fromSettings)\n"), "\(empty)")

            let flag = try TandemProcess.run(
                ["db", "check", "--database", fromFlag], environment: environment, in: folder)
            #expect(flag.output.hasPrefix("database: \(fromFlag)\n"), "\(flag)")
        }
    }

    @Test func aBadDatabaseURLInTheSettingsFileIsBadInputNamingFileAndLine() throws {
        try withTemporaryDirectory { folder in
            let settings = try settingsFile(in: folder, "api_root: /pulp/\ndatabase_url: mysql://db/x\n")
            let run = try TandemProcess.run(["status"], environment: ["TANDEM_SETTINGS": settings], in: folder)
            #expect(run.status == 2, "\(run)")
            #expect(run.errors.contains("database_url"), "\(run)")
            #expect(run.errors.contains("\(settings):2"), "\(run)")
            #expect(run.errors.contains("unsupported database 'mysql'"), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("tandem.sqlite3").path))
        }
    }
}
