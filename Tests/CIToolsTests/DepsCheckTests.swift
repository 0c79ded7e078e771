import Foundation
import Testing

/// `tandem deps check` on the fixture plugin package, through the real binary (which runs
/// `swift package dump-package`).
@Suite("tandem deps check")
struct DepsCheckTests {
    /// The fixture's manifest with `declaration` in place of its swift-log dependency.
    static func manifest(_ declaration: String) -> String {
        """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "Hello",
            dependencies: [
                .package(url: "https://github.com/apple/swift-argument-parser", "1.5.0"..."1.8.2"),
        \(declaration)
            ],
            targets: [.target(name: "Hello")]
        )

        """
    }

    /// The fixture with `declaration`, CI having tested argument-parser 1.8.2 and swift-log 1.16.2.
    static func check(_ declaration: String) throws -> TandemRun {
        let package = try FixturePackage()
        try package.write("Package.swift", manifest(declaration))
        try package.writeResolved(["swift-argument-parser": "1.8.2", "swift-log": "1.16.2"])
        return try package.run(["deps", "check"])
    }

    @Test("lowest...newest tested, or ..< the next patch: exit 0")
    func accepted() throws {
        for declaration in [
            #"        .package(url: "https://github.com/apple/swift-log", "1.6.0"..."1.16.2"),"#,
            #"        .package(url: "https://github.com/apple/swift-log.git", "1.6.0"..<"1.16.3"),"#,
            #"        .package(url: "https://github.com/apple/swift-log", "1.6.0"..."1.10.0"),"#,
        ] {
            let run = try Self.check(declaration)
            #expect(run.status == 0, "\(declaration): \(run)")
            #expect(run.output == "deps check: no problems\n")
        }
    }

    @Test("the fixture as it is, with its resolved versions: exit 0")
    func fixture() throws {
        let package = try FixturePackage()
        try package.writeResolved(["swift-log": "1.16.2"])
        let run = try package.run(["deps", "check"])
        #expect(run.status == 0, "\(run)")
    }

    @Test("no explicit upper bound (from:, upToNextMajor, upToNextMinor): exit 1")
    func implicitUpperBound() throws {
        let cases = [
            (#"        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),"#, "2.0.0"),
            (#"        .package(url: "https://github.com/apple/swift-log", .upToNextMajor(from: "1.6.0")),"#, "2.0.0"),
            (
                #"        .package(url: "https://github.com/apple/swift-log", .upToNextMinor(from: "1.16.0")),"#,
                "1.17.0"
            ),
        ]
        for (declaration, upper) in cases {
            let run = try Self.check(declaration)
            #expect(run.status == 1, "\(declaration): \(run)")
            let lower = upper == "1.17.0" ? "1.16.0" : "1.6.0"
            #expect(
                run.output
                    == "Package.swift:8: error: swift-log: no explicit upper bound (it admits every release below \(upper)); declare \"\(lower)\"...\"1.16.2\", the newest release CI tested\n"
            )
            #expect(run.errors == "deps check: 1 problem(s)\n")
        }
    }

    @Test("an upper bound beyond the newest tested release: exit 1")
    func beyondTested() throws {
        let run = try Self.check(#"        .package(url: "https://github.com/apple/swift-log", "1.6.0"..<"2.0.0"),"#)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Package.swift:8: error: swift-log: upper bound 2.0.0 (exclusive) admits releases after 1.16.2, the newest release CI tested (Package.resolved); declare \"1.6.0\"...\"1.16.2\"\n"
        )
    }

    @Test("an exact pin without a comment: exit 1; with a comment above, after or inside: exit 0")
    func exactPin() throws {
        var run = try Self.check(#"        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),"#)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Package.swift:8: error: swift-log: exact pin 1.16.2 without a comment giving the reason; prefer \"LOWEST\"...\"1.16.2\", or say why it must be exact\n"
        )
        // A comment separated by a blank line is about something else.
        run = try Self.check(
            "        // Logging.\n\n"
                + #"        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),"#)
        #expect(run.status == 1, "\(run)")
        for declaration in [
            "        // 1.16.3 breaks our log handler (swift-log#123).\n"
                + #"        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),"#,
            #"        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),  // 1.16.3 breaks our handler"#,
            #"        .package(url: "https://github.com/apple/swift-log", /* our handler needs it */ exact: "1.16.2"),"#,
        ] {
            run = try Self.check(declaration)
            #expect(run.status == 0, "\(declaration): \(run)")
        }
    }

    @Test("a branch or a revision: exit 1")
    func branchAndRevision() throws {
        var run = try Self.check(#"        .package(url: "https://github.com/apple/swift-log", branch: "main"),"#)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Package.swift:8: error: swift-log: follows branch 'main', which has no release to bound; depend on a range of releases\n"
        )
        run = try Self.check(#"        .package(url: "https://github.com/apple/swift-log", revision: "abc123"),"#)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Package.swift:8: error: swift-log: follows revision abc123, which has no release to bound; depend on a range of releases\n"
        )
    }

    @Test("a dependency CI did not resolve: exit 1; no Package.resolved or a manifest that does not load: exit 2")
    func untestedAndBadInput() throws {
        let package = try FixturePackage()
        try package.writeResolved(["swift-argument-parser": "1.8.2"])
        var run = try package.run(["deps", "check"])
        #expect(run.status == 1, "\(run)")
        #expect(
            run.output
                == "Package.swift:9: error: swift-log: no release of it was tested: it is not in Package.resolved (resolve or build the package first)\n"
        )
        try package.remove("Package.resolved")
        run = try package.run(["deps", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(
            run.output
                == "Package.resolved: error: missing: build the package (or run `swift package resolve`) first, so the check knows which releases were tested\n"
        )
        try package.writeResolved(["swift-log": "1.16.2"])
        try package.write(
            "Package.swift", "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: )\n")
        run = try package.run(["deps", "check"])
        #expect(run.status == 2, "\(run)")
        #expect(run.output.hasPrefix("Package.swift: error: `swift package dump-package` failed"))
    }

    @Test("--resolved reads the CI build's Package.resolved from elsewhere")
    func resolvedOption() throws {
        let package = try FixturePackage()
        let elsewhere = try FixturePackage()
        try elsewhere.writeResolved(["swift-log": "1.10.0"])
        let run = try package.run([
            "deps", "check", "--resolved", elsewhere.root.appending(path: "Package.resolved").path,
        ])
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("upper bound 1.16.3 (exclusive) admits releases after 1.10.0"))
    }

    @Test("Tandem itself passes")
    func tandemItself() throws {
        let run = try FixturePackage.run(["deps", "check"], in: FixturePackage.repository)
        #expect(run.status == 0, "\(run)")
        #expect(run.output == "deps check: no problems\n")
    }
}
