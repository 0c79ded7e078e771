// swift-tools-version: 6.0
// A small plugin package for the tests of `tandem changelog check` and `tandem deps check`.
import PackageDescription

let package = Package(
    name: "Hello",
    products: [.library(name: "Hello", targets: ["Hello"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", "1.6.0"..."1.16.2")
    ],
    targets: [
        .target(name: "Hello", dependencies: [.product(name: "Logging", package: "swift-log")])
    ]
)
