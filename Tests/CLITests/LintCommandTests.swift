import Foundation
import Testing

@Suite("tandem lint")
struct LintCommandTests {
    static func write(_ files: [String: String], in folder: URL) throws {
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    @Test("warnings only: exit 0, each warning as path:line, then the summary")
    func warningsOnly() throws {
        let run = try withTemporaryDirectory { folder in
            try Self.write(
                [
                    "migrations/core/0001_a.yaml":
                        "release: \"1.0.0\"\nphase: compatible\noperations:\n  - drop_index: {table: t, name: i}\n"
                ], in: folder)
            return try TandemProcess.run(["lint", "--migrations", "migrations"], in: folder)
        }
        #expect(run.status == 0, "\(run)")
        #expect(
            run.output == """
                migrations/core/0001_a.yaml:4: warning: drop_index i on t: earlier code stays correct, but its queries that used the index may get slow
                1 migration(s) checked, 0 error(s), 1 warning(s)

                """)
    }

    @Test("an error: exit 2 with path:line, for files named on the command line or --migrations")
    func error() throws {
        let runs = try withTemporaryDirectory { folder in
            try Self.write(
                [
                    "db/core/0001_a.yaml":
                        "release: \"1.0\"\nphase: compatible\noperations:\n  - drop_index: {table: t, name: i}\n"
                ], in: folder)
            return [
                try TandemProcess.run(["lint", "db/core/0001_a.yaml"], in: folder),
                try TandemProcess.run(["lint", "--migrations", "db"], in: folder),
            ]
        }
        for run in runs {
            #expect(run.status == 2, "\(run)")
            #expect(
                run.output
                    == "db/core/0001_a.yaml:1: error: invalid version '1.0' for 'release' (expected MAJOR.MINOR.PATCH, such as \"1.10.0\")\n"
            )
            #expect(run.errors.contains("1 error(s), 0 warning(s)"))
        }
    }

    @Test("the repository's example migrations lint clean")
    func exampleMigrations() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardized
        let run = try TandemProcess.run(["lint"], in: root)
        #expect(run.status == 0, "\(run)")
        #expect(run.output == "6 migration(s) checked, 0 error(s), 0 warning(s)\n")
    }
}
