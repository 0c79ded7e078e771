import Foundation
import Testing

/// `tandem changelog build` and the checks against the last release's API record, release by
/// release, on the fixture plugin package through the real binary.
@Suite("tandem changelog build and removals")
struct ChangelogReleaseTests {
    /// Hello 1.0.0 released with `greet(name:)` deprecated; VERSION then moves to `next`.
    static func releasedWithDeprecation(next: String) throws -> FixturePackage {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", ChangelogCheckTests.deprecatedGreeter())
        try package.write("CHANGES/plugin_api/2.deprecation", ChangelogCheckTests.deprecationFragment)
        let run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-27"])
        #expect(run.status == 0, "\(run)")
        try package.write("VERSION", next + "\n")
        return package
    }

    @Test("build: CHANGES.md in towncrier's layout, api/1.0.0.json recorded, fragments removed")
    func build() throws {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", ChangelogCheckTests.deprecatedGreeter())
        try package.write("CHANGES/plugin_api/2.deprecation", ChangelogCheckTests.deprecationFragment)
        try package.write("CHANGES/3.bugfix", "Greetings end with one exclamation mark,\nnot two.\n")
        try package.write("CHANGES/4.bugfix", "Greetings end with one exclamation mark,\nnot two.\n")
        try package.write("CHANGES/5.misc", "Internal tidying.\n")
        try package.write("CHANGES/5.misc.1", "More tidying.\n")
        let run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-27"])
        #expect(run.status == 0, "\(run)")
        #expect(
            package.read("CHANGES.md") == """
                # Changelog

                <!-- towncrier release notes start -->

                # Hello 1.0.0 (2026-11-27)

                ### Features

                - Added `Greeter`, which greets people. (#1)

                ### Bugfixes

                - Greetings end with one exclamation mark,
                  not two. (#3, #4)

                ### Misc

                - #5


                ## Plugin API

                ### Deprecations

                - `Greeter.greet(name:)` is deprecated; use `greeting(for:)`. It goes in hello 1.1.0. (#2)



                """)
        let fragments = try FileManager.default.contentsOfDirectory(
            atPath: package.root.appending(path: "CHANGES").path)
        #expect(fragments == ["plugin_api"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: package.root.appending(path: "CHANGES/plugin_api").path)
                .isEmpty)
        let record = try #require(package.read("api/1.0.0.json"))
        #expect(record.contains("\"name\" : \"Greeter.greet(name:)\""))
        #expect(record.contains("\"removal\" : \"1.1.0\""))
        #expect(!record.contains("shout"), "internal symbols are not API")
        // The next release goes above this one, below the marker.
        try package.write("VERSION", "1.0.1\n")
        try package.write("CHANGES/6.doc", "Documented `Greeter`.\n")
        let next = try package.run(["changelog", "build", "--version", "1.0.1", "--date", "2026-12-01"])
        #expect(next.status == 0, "\(next)")
        let changelog = try #require(package.read("CHANGES.md"))
        #expect(
            changelog.hasPrefix(
                "# Changelog\n\n<!-- towncrier release notes start -->\n\n# Hello 1.0.1 (2026-12-01)\n\n### Improved Documentation\n\n- Documented `Greeter`. (#6)\n\n\n## Plugin API\n\nNo significant changes.\n\n\n# Hello 1.0.0 (2026-11-27)\n"
            ))
    }

    @Test("build refuses, writing nothing, when the check fails (exit 1) or the version is not VERSION's (exit 2)")
    func buildRefuses() throws {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", ChangelogCheckTests.deprecatedGreeter())
        var run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-27"])
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("`Greeter.greet(name:)` is deprecated, but no deprecation fragment"))
        run = try package.run(["changelog", "build", "--version", "1.2.0", "--date", "2026-11-27"])
        #expect(run.status == 2, "\(run)")
        #expect(run.output == "VERSION: error: says 1.0.0, but --version is 1.2.0: set VERSION to the release first\n")
        #expect(package.read("CHANGES.md") == nil)
        #expect(package.read("api/1.0.0.json") == nil)
        #expect(package.read("CHANGES/1.feature") != nil)
    }

    @Test("a release already in CHANGES.md is refused (exit 2); a build stopped before CHANGES.md reruns")
    func rebuild() throws {
        let package = try FixturePackage()
        var run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-27"])
        #expect(run.status == 0, "\(run)")
        try package.write("CHANGES/2.feature", "More.\n")
        run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-28"])
        #expect(run.status == 2, "\(run)")
        #expect(run.output == "CHANGES.md: error: already has release 1.0.0\n")
        #expect(package.read("CHANGES/2.feature") == "More.\n")
        // As if killed after writing api/1.0.0.json: the record is there, CHANGES.md and the fragment too.
        try package.remove("CHANGES.md")
        run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-28"])
        #expect(run.status == 0, "\(run)")
        #expect(
            package.read("CHANGES.md")?.contains("# Hello 1.0.0 (2026-11-28)\n\n### Features\n\n- More. (#2)\n") == true
        )
        #expect(package.read("CHANGES/2.feature") == nil)
    }

    @Test("after the release the deprecation needs no fragment; at its removal release it must go")
    func deprecationAcrossReleases() throws {
        let package = try Self.releasedWithDeprecation(next: "1.0.1")
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 0, "\(run)")
        try package.write("VERSION", "1.1.0\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output.contains(
                "`Greeter.greet(name:)` is still here, but its deprecation says it is removed in hello 1.1.0"))
    }

    @Test("a deprecated symbol removed without a removal fragment: exit 1; with one: exit 0")
    func removalFragment() throws {
        let package = try Self.releasedWithDeprecation(next: "1.1.0")
        try package.write("Sources/Hello/Greeter.swift", ChangelogCheckTests.greeterWithoutGreet)
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "api/1.0.0.json: error: `Greeter.greet(name:)` (public in 1.0.0 at Sources/Hello/Greeter.swift:7) is gone, but no removal fragment in CHANGES/ or CHANGES/plugin_api/ names it\n"
        )
        try package.write("CHANGES/plugin_api/2.removal", "Removed `Greeter.greet(name:)`; use `greeting(for:)`.\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 0, "\(run)")
    }

    @Test("a public symbol removed without a deprecation: exit 1 in the same major version")
    func removalWithoutDeprecation() throws {
        let package = try Self.releasedWithDeprecation(next: "1.1.0")
        try package.write(
            "Sources/Hello/Greeter.swift",
            ChangelogCheckTests.greeterWithoutGreet.replacingOccurrences(
                of: "public func greeting(for name: String)", with: "public func greeting(for name: Substring)"))
        try package.write("CHANGES/plugin_api/2.removal", "Removed `Greeter.greet(name:)`.\n")
        let run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "api/1.0.0.json: error: `Greeter.greeting(for:)` (public in 1.0.0 at Sources/Hello/Greeter.swift:13) was removed without being deprecated first: deprecate it for a release, or remove it in a new major version\n"
        )
    }

    @Test("in a new major version an undeprecated removal needs only its removal fragment")
    func removalInMajorVersion() throws {
        let package = try Self.releasedWithDeprecation(next: "2.0.0")
        try package.write("Sources/Hello/Greeter.swift", "/// Nothing left.\npublic enum Hello {}\n")
        try package.write("CHANGES/plugin_api/2.removal", "Removed `Greeter.greet(name:)`.\n")
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output.contains(
                "`Greeter.greeting(for:)` (public in 1.0.0 at Sources/Hello/Greeter.swift:13) is gone, but no removal fragment"
            ))
        #expect(run.output.contains("`Greeter` (public in 1.0.0 at Sources/Hello/Greeter.swift:2) is gone"))
        try package.write("CHANGES/plugin_api/3.removal", "Removed `Greeter`, its `init()` and `greeting(for:)`.\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 0, "\(run)")
    }

    @Test("a deprecated type covers its members: one fragment for the type, its removal named once")
    func deprecatedType() throws {
        let package = try FixturePackage()
        try package.write(
            "Sources/Hello/Greeter.swift",
            """
            /// Greets people.
            @available(*, deprecated, message: "removed in hello 1.1.0; use Salutation")
            public struct Greeter: Sendable {
                /// Creates a greeter.
                public init() {}
                /// A greeting for `name`.
                public func greet(name: String) -> String { "Hello, \\(name)!" }
            }

            """)
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Sources/Hello/Greeter.swift:2: error: `Greeter` is deprecated, but no deprecation fragment in CHANGES/ or CHANGES/plugin_api/ names it\n"
        )
        try package.write("CHANGES/plugin_api/2.deprecation", "`Greeter` is deprecated; use `Salutation`.\n")
        run = try package.run(["changelog", "build", "--version", "1.0.0", "--date", "2026-11-27"])
        #expect(run.status == 0, "\(run)")
        try package.write("VERSION", "1.1.0\n")
        try package.write("Sources/Hello/Greeter.swift", "/// Says hello.\npublic struct Salutation {}\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output.contains(
                "`Greeter.greet(name:)` (public in 1.0.0 at Sources/Hello/Greeter.swift:7) is gone, but no removal fragment"
            ))
        #expect(!run.output.contains("without being deprecated first"), "the members were deprecated with their type")
        try package.write("CHANGES/plugin_api/2.removal", "Removed `Greeter`: use `Salutation`.\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 0, "\(run)")
    }

    @Test("a release record after VERSION, or a stray file in api/: exit 2")
    func badRecords() throws {
        let package = try Self.releasedWithDeprecation(next: "1.0.1")
        try package.write("api/notes.txt", "hello")
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(run.output == "api/notes.txt: error: not a release record: expected api/<MAJOR.MINOR.PATCH>.json\n")
        try package.remove("api/notes.txt")
        try package.write("VERSION", "0.9.0\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output == "api/1.0.0.json: error: records release 1.0.0, after this package's version 0.9.0 (VERSION)\n"
        )
    }

    @Test("Tandem's own fragments build into CHANGES.md (on a copy)")
    func tandemBuilds() throws {
        let copy = try FixturePackage(
            copying: FixturePackage.repository,
            entries: ["Package.swift", "VERSION", "CHANGES", "CHANGES.md", "Sources"])
        let version = try #require(copy.read("VERSION")).trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try copy.run(["changelog", "build", "--version", version, "--date", "2026-11-27"])
        #expect(run.status == 0, "\(run)")
        let changelog = try #require(copy.read("CHANGES.md"))
        #expect(changelog.contains("# Tandem \(version) (2026-11-27)\n\n### Features\n\n- "))
        #expect(copy.read("CHANGES/11.feature.1") == nil)
        #expect(copy.read("api/\(version).json")?.contains("\"name\" : \"Migrator\"") == true)
    }
}
