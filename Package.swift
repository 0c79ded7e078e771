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
        .executable(name: "tandem", targets: ["tandem"]),
        .executable(name: "tandem-bench", targets: ["tandem-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "TandemDatabase",
            dependencies: ["CLibPQ", "CSQLite", .product(name: "Logging", package: "swift-log")],
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
        .target(
            name: "TandemTesting",
            dependencies: ["TandemDatabase", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Testing"
        ),
        .target(
            name: "TandemHTTP",
            dependencies: [
                "TandemDatabase", "TandemORM", "TandemMigrations",
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
                "TandemDatabase",
                "TandemMigrations",
                "TandemORM",
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
                "TandemDatabase", "TandemSchema", "TandemORM", "TandemMigrations", "TandemTriggers", "CLibPQ",
                "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Bench"
        ),
        .testTarget(
            name: "TandemDatabaseTests", dependencies: ["TandemDatabase", "TandemTesting"], path: "Tests/DatabaseTests"),
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
            name: "TandemHTTPTests",
            dependencies: [
                "TandemHTTP", "TandemORM", "TandemMigrations", "TandemTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/HTTPTests"),
        .testTarget(
            name: "TandemCLITests", dependencies: ["tandem", "TandemDatabase", "TandemMigrations", "TandemTesting"],
            path: "Tests/CLITests"),
    ],
    swiftLanguageModes: [.v6]
)
