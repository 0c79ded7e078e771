import Foundation
import Testing

/// `tandem changelog check` on the fixture plugin package, through the real binary.
@Suite("tandem changelog check")
struct ChangelogCheckTests {
    /// Greeter 1.0.x: `greet(name:)` deprecated for `greeting(for:)`, removed in `removal`.
    static func deprecatedGreeter(message: String = "removed in hello 1.1.0; use greeting(for:)") -> String {
        """
        /// Greets people.
        public struct Greeter: Sendable {
            /// Creates a greeter.
            public init() {}

            /// A greeting for `name`.
            @available(*, deprecated, message: "\(message)")
            public func greet(name: String) -> String {
                greeting(for: name)
            }

            /// A greeting for `name`.
            public func greeting(for name: String) -> String {
                "Hello, \\(name)!"
            }
        }

        """
    }

    /// Greeter 1.1.0: `greet(name:)` is gone.
    static let greeterWithoutGreet = """
        /// Greets people.
        public struct Greeter: Sendable {
            /// Creates a greeter.
            public init() {}

            /// A greeting for `name`.
            public func greeting(for name: String) -> String {
                "Hello, \\(name)!"
            }
        }

        """

    static let deprecationFragment =
        "`Greeter.greet(name:)` is deprecated; use `greeting(for:)`. It goes in hello 1.1.0.\n"

    @Test("the fixture as it is: exit 0")
    func clean() throws {
        let run = try FixturePackage().run(["changelog", "check"])
        #expect(run.status == 0, "\(run)")
        #expect(run.output == "changelog check: no problems\n")
    }

    @Test("a deprecated public symbol without a deprecation fragment: exit 1 with file:line")
    func missingDeprecationFragment() throws {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter())
        let run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Sources/Hello/Greeter.swift:7: error: `Greeter.greet(name:)` is deprecated, but no deprecation fragment in CHANGES/ or CHANGES/plugin_api/ names it\n"
        )
        #expect(run.errors == "changelog check: 1 problem(s)\n")
    }

    @Test("a fragment of another type, or one naming another symbol, does not count")
    func wrongFragment() throws {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter())
        try package.write("CHANGES/2.feature", Self.deprecationFragment)
        try package.write("CHANGES/plugin_api/2.deprecation", "`Greeter.greetings(name:)` is deprecated.\n")
        let run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("`Greeter.greet(name:)` is deprecated, but no deprecation fragment"))
    }

    @Test("a deprecation fragment naming it, in CHANGES/ or CHANGES/plugin_api/: exit 0")
    func deprecationFragment() throws {
        for folder in ["CHANGES", "CHANGES/plugin_api"] {
            let package = try FixturePackage()
            try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter())
            try package.write("\(folder)/2.deprecation.1", Self.deprecationFragment)
            let run = try package.run(["changelog", "check"])
            #expect(run.status == 0, "\(folder): \(run)")
        }
    }

    @Test("the version has reached the removal release and the symbol is still there: exit 1")
    func removalReleaseReached() throws {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter())
        try package.write("CHANGES/plugin_api/2.deprecation", Self.deprecationFragment)
        try package.write("VERSION", "1.1.0\n")
        let run = try package.run(["changelog", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Sources/Hello/Greeter.swift:7: error: `Greeter.greet(name:)` is still here, but its deprecation says it is removed in hello 1.1.0 and this is 1.1.0\n"
        )
    }

    @Test("a deprecation message that does not name the removal release: exit 2")
    func unparsableMessage() throws {
        for message in ["use greeting(for:)", "removed in hello 1.1; use greeting(for:)", "removed soon"] {
            let package = try FixturePackage()
            try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter(message: message))
            try package.write("CHANGES/plugin_api/2.deprecation", Self.deprecationFragment)
            let run = try package.run(["changelog", "check"])
            #expect(run.status == 2, "\(message): \(run)")
            #expect(
                run.output
                    == "Sources/Hello/Greeter.swift:7: error: the deprecation of `Greeter.greet(name:)` does not say when it goes: its message must contain 'removed in <component> <MAJOR.MINOR.PATCH>', such as \"removed in hello 2.0.0; use greet(name:)\"\n"
            )
            #expect(run.errors == "1 input error(s)\n")
        }
    }

    @Test("a deprecation without a message, or naming another component: exit 2")
    func noMessageOrOtherComponent() throws {
        let package = try FixturePackage()
        let source = Self.deprecatedGreeter().replacingOccurrences(
            of: "@available(*, deprecated, message: \"removed in hello 1.1.0; use greeting(for:)\")",
            with: "@available(*, deprecated, renamed: \"greeting(for:)\")")
        try package.write("Sources/Hello/Greeter.swift", source)
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output.hasPrefix(
                "Sources/Hello/Greeter.swift:7: error: the deprecation of `Greeter.greet(name:)` does not say when it goes"
            ))

        try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter(message: "removed in tandem 0.3.0"))
        run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output
                == "Sources/Hello/Greeter.swift:7: error: the deprecation of `Greeter.greet(name:)` names component 'tandem', but this package is 'Hello'\n"
        )
    }

    @Test("bad fragment names, unknown types, empty fragments, stray folders: exit 2, all listed")
    func badFragments() throws {
        let package = try FixturePackage()
        try package.write("CHANGES/2.bench.feature", "Benchmarks.\n")
        try package.write("CHANGES/3.improvement", "Faster.\n")
        try package.write("CHANGES/feature", "No issue.\n")
        try package.write("CHANGES/4.feature.x", "Bad counter.\n")
        try package.write("CHANGES/5.bugfix", "  \n")
        try package.write("CHANGES/other/6.feature", "Misplaced.\n")
        try package.write("CHANGES/README.md", "Not a fragment.\n")
        try package.write("CHANGES/.gitkeep", "")
        let run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output == """
                CHANGES/2.bench.feature: error: unknown fragment type 'bench': expected one of feature, bugfix, doc, removal, deprecation, misc
                CHANGES/3.improvement: error: unknown fragment type 'improvement': expected one of feature, bugfix, doc, removal, deprecation, misc
                CHANGES/4.feature.x: error: bad fragment name '4.feature.x': expected <issue>.<type> or <issue>.<type>.<n>, such as 12.feature or 12.feature.2
                CHANGES/5.bugfix: error: empty fragment: say what changed, for the release notes
                CHANGES/feature: error: bad fragment name 'feature': expected <issue>.<type> or <issue>.<type>.<n>, such as 12.feature or 12.feature.2
                CHANGES/other: error: unexpected folder: fragments live in CHANGES/ and CHANGES/plugin_api/ only

                """)
        #expect(run.errors == "6 input error(s)\n")
    }

    @Test("a missing or malformed VERSION: exit 2")
    func badVersion() throws {
        let package = try FixturePackage()
        try package.remove("VERSION")
        var run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output
                == "VERSION: error: missing: the package's version (MAJOR.MINOR.PATCH) is the one line of VERSION\n")
        try package.write("VERSION", "1.0\n")
        run = try package.run(["changelog", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output == "VERSION:1: error: invalid version '1.0' (expected MAJOR.MINOR.PATCH, such as \"1.10.0\")\n")
    }

    @Test("--package checks another folder")
    func packageOption() throws {
        let package = try FixturePackage()
        try package.write("Sources/Hello/Greeter.swift", Self.deprecatedGreeter())
        let run = try FixturePackage.run(
            ["changelog", "check", "--package", package.root.path], in: FileManager.default.temporaryDirectory)
        #expect(run.status == 1, "\(run)")
        #expect(run.output.hasPrefix("Sources/Hello/Greeter.swift:7: error: `Greeter.greet(name:)` is deprecated"))
    }

    @Test("Tandem itself passes")
    func tandemItself() throws {
        let run = try FixturePackage.run(["changelog", "check"], in: FixturePackage.repository)
        #expect(run.status == 0, "\(run)")
        #expect(run.output == "changelog check: no problems\n")
    }
}

/// The `VERSION` file the checks read and the version the binary reports are one.
@Suite("VERSION")
struct VersionFileTests {
    @Test("`tandem --version` prints the VERSION file's version")
    func agrees() throws {
        let file = try String(contentsOf: FixturePackage.repository.appending(path: "VERSION"), encoding: .utf8)
        let run = try FixturePackage.run(["--version"], in: FixturePackage.repository)
        #expect(run.status == 0, "\(run)")
        #expect(run.output == file)
    }
}
