// swift-tools-version: 6.0
import CompilerPluginSupport
import PackageDescription

let package = Package(
    name: "Tandem",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TandemDatabase", targets: ["TandemDatabase"]),
        .library(name: "TandemSchema", targets: ["TandemSchema"]),
        .library(name: "TandemORM", targets: ["TandemORM"]),
        .library(name: "TandemTriggers", targets: ["TandemTriggers"]),
        .library(name: "TandemMigrations", targets: ["TandemMigrations"]),
        .library(name: "TandemTesting", targets: ["TandemTesting"]),
        .library(name: "TandemApp", targets: ["TandemApp"]),
        .library(name: "TandemFile", targets: ["TandemFile"]),
        .library(name: "TandemTasks", targets: ["TandemTasks"]),
        .executable(name: "tandem", targets: ["tandem"]),
        .executable(name: "tandem-bench", targets: ["tandem-bench"]),
    ],
    // Each dependency: the lowest release Tandem works with ... the newest release CI has tested
    // (the version in the CI build's Package.resolved). `tandem deps check` enforces it.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", "1.5.0"..."1.8.2"),
        .package(url: "https://github.com/apple/swift-log", "1.6.0"..."1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", "6.0.0"..."6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..."3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-syntax", "603.0.0"..."603.0.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", "1.0.0"..."1.0.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", "2.13.0"..."2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", "2.28.1"..."2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", "2.5.0"..."2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", "2.101.2"..."2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", "1.30.0"..."1.37.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CScheduler", path: "Sources/CScheduler"),
        .target(
            name: "TandemDatabase",
            dependencies: ["CLibPQ", "CSQLite", "CScheduler", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Database"
        ),
        .target(name: "TandemSchema", dependencies: ["TandemDatabase"], path: "Sources/Schema"),
        .target(name: "TandemTriggers", dependencies: ["TandemDatabase", "TandemSchema"], path: "Sources/Triggers"),
        .macro(
            name: "TandemMacros",
            dependencies: [
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ],
            path: "Sources/Macros"
        ),
        .target(name: "TandemORM", dependencies: ["TandemDatabase", "TandemMacros"], path: "Sources/ORM"),
        .target(
            name: "TandemMigrations",
            dependencies: [
                "TandemDatabase", "TandemSchema", "TandemTriggers", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Migrations"
        ),
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .executableTarget(
            name: "tandem-process-fixture",
            dependencies: [
                "TandemApp", "TandemMigrations", "TandemDatabase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Fixtures/ProcessFixture"
        ),
        .target(
            name: "TandemApp",
            dependencies: [
                "TandemDatabase", "TandemORM", "TandemMigrations", "CLibCrypto",
                .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/App/Host",
            resources: [.copy("Core/Resources/migrations"), .copy("Localization/Catalogues")]
        ),
        .target(
            name: "TandemFile",
            dependencies: ["TandemApp", "TandemHTTP", "TandemORM", "TandemMigrations", "TandemTasks"],
            path: "Sources/FilePlugin",
            resources: [.copy("Resources/migrations")]
        ),
        .target(
            name: "TandemTasks",
            dependencies: [
                "TandemDatabase", "TandemMigrations", "TandemApp", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/App/Tasks"
        ),
        .target(
            name: "TandemTesting",
            dependencies: ["TandemDatabase", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Testing"
        ),
        .target(
            name: "TandemCITools",
            dependencies: [
                "TandemMigrations",
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Sources/CITools"
        ),
        .target(
            name: "TandemHTTP",
            dependencies: [
                "TandemDatabase", "TandemORM", "TandemMigrations", "TandemApp", "TandemTasks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/App/HTTP"
        ),
        .executableTarget(
            name: "tandem",
            dependencies: [
                "TandemCITools",
                "TandemDatabase",
                "TandemMigrations",
                "TandemApp",
                "TandemFile",
                "TandemTasks",
                "TandemHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/tandem"
        ),
        .executableTarget(
            name: "tandem-bench",
            dependencies: [
                "TandemDatabase", "TandemSchema", "TandemORM", "TandemMigrations", "TandemTriggers", "TandemTasks",
                "TandemApp", "TandemHTTP", "CLibPQ", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `tandem-bench api` serves over Hummingbird and loads it through AsyncHTTPClient.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Bench"
        ),
        .testTarget(
            name: "TandemDatabaseTests", dependencies: ["TandemDatabase", "TandemTesting", "CScheduler"],
            path: "Tests/DatabaseTests"),
        .testTarget(
            name: "TandemTriggersTests", dependencies: ["TandemTriggers", "TandemSchema", "TandemTesting"],
            path: "Tests/TriggersTests"),
        .testTarget(
            name: "TandemSchemaTests", dependencies: ["TandemSchema", "TandemTesting"], path: "Tests/SchemaTests"),
        .testTarget(
            name: "TandemMigrationsTests", dependencies: ["TandemMigrations", "TandemSchema", "TandemTesting"],
            path: "Tests/MigrationsTests", exclude: ["Fixtures", "SupportFixtures"]),
        .testTarget(
            name: "TandemMacrosTests",
            dependencies: ["TandemMacros", .product(name: "SwiftSyntaxMacrosTestSupport", package: "swift-syntax")],
            path: "Tests/MacrosTests"),
        .testTarget(
            name: "TandemORMTests", dependencies: ["TandemORM", "TandemSchema", "TandemMigrations", "TandemTesting"],
            path: "Tests/ORMTests"),
        .testTarget(
            name: "TandemFileTests",
            dependencies: [
                "TandemFile", "TandemApp", "TandemORM", "TandemTesting", .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/FilePluginTests"),
        .testTarget(
            name: "TandemCLITests",
            dependencies: ["tandem", "TandemDatabase", "TandemMigrations", "TandemApp", "TandemTesting"],
            path: "Tests/CLITests"),
        .target(
            name: "TandemProcessTestSupport", dependencies: ["TandemDatabase", "TandemMigrations"],
            path: "Tests/ProcessTestSupport"),
        .testTarget(
            name: "TandemAppTests",
            dependencies: [
                "TandemApp", "TandemTesting", "TandemORM", "TandemMigrations", "TandemProcessTestSupport",
                "tandem-process-fixture",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/AppTests"),
        .testTarget(
            name: "TandemTasksTests",
            dependencies: [
                "tandem", "TandemTasks", "TandemApp", "TandemFile", "TandemMigrations", "TandemDatabase",
                "TandemTesting", "TandemProcessTestSupport",
            ],
            path: "Tests/TasksTests"),
        .testTarget(
            name: "TandemCIToolsTests", dependencies: ["tandem", "TandemCITools", "TandemMigrations"],
            path: "Tests/CIToolsTests", exclude: ["Fixtures"]),
        .testTarget(
            name: "TandemHTTPTests",
            dependencies: [
                "TandemHTTP", "TandemORM", "TandemMigrations", "TandemTesting", "TandemApp", "TandemFile",
                "TandemTasks",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/HTTPTests"),
    ],
    swiftLanguageModes: [.v6]
)
