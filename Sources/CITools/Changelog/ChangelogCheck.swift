import Foundation
import TandemMigrations

/// `tandem changelog check`: the package's change fragments against its deprecated and removed
/// public API.
///
/// Fails (findings, exit 1) when a deprecated public symbol has no `deprecation` fragment naming
/// it (unless the last release already deprecated it), when the package's version has reached
/// the release a deprecation names for the removal and the symbol is still there, and when a
/// symbol of the last release's API record is gone without a `removal` fragment naming it, or
/// without having been deprecated in that release (unless the major version changed).
public struct ChangelogCheck: Sendable {
    /// The package's name and version.
    public let package: PackageIdentity
    /// Its change fragments.
    public let fragments: [Fragment]
    /// Its public API now.
    public let symbols: [APISymbol]
    /// The API of the last release, if one was recorded.
    public let lastRelease: APIRecord?

    /// Reads the package; throws ``CheckInputError`` (exit 2) for bad input, all problems at once.
    public init(packageRoot: URL) throws {
        var problems: [Finding] = []
        func collect<T>(_ read: () throws -> T) throws -> T? {
            do { return try read() } catch let error as CheckInputError {
                problems += error.findings
                return nil
            }
        }
        let package = try collect { try PackageIdentity(packageRoot: packageRoot) }
        let fragments = try collect { try FragmentDirectory.load(packageRoot: packageRoot) }
        let symbols = try collect { try APIScanner.scan(packageRoot: packageRoot) }
        let lastRelease = try package.flatMap { package in
            try collect { try APIRecord.latest(packageRoot: packageRoot, notAfter: package.version) } ?? nil
        }
        if let package, let symbols {
            for symbol in symbols where symbol.declaresDeprecation {
                guard let deprecation = symbol.deprecation,
                    deprecation.component.lowercased() != package.name.lowercased()
                else { continue }
                problems.append(
                    Finding(
                        file: symbol.file, line: symbol.line,
                        message:
                            "the deprecation of `\(symbol.name)` names component '\(deprecation.component)', but this package is '\(package.name)'"
                    ))
            }
        }
        guard problems.isEmpty, let package, let fragments, let symbols else { throw CheckInputError(problems) }
        self.package = package
        self.fragments = fragments
        self.symbols = symbols
        self.lastRelease = lastRelease
    }

    /// Every problem, in file and line order.
    public func findings() -> [Finding] {
        var findings: [Finding] = []
        let previous = Dictionary(
            lastRelease?.symbols.map { ($0.key, $0) } ?? [], uniquingKeysWith: { first, _ in first })
        for symbol in symbols where symbol.declaresDeprecation {
            guard let deprecation = symbol.deprecation else { continue }
            let released = previous[symbol.key]?.deprecation != nil
            if !released && !named(symbol, in: .deprecation) {
                findings.append(
                    Finding(
                        file: symbol.file, line: symbol.line,
                        message:
                            "`\(symbol.name)` is deprecated, but no deprecation fragment in \(FragmentDirectory.path)/ or \(FragmentDirectory.pluginAPIPath)/ names it"
                    ))
            }
            if let removal = SemanticVersion(deprecation.removal), package.version >= removal {
                findings.append(
                    Finding(
                        file: symbol.file, line: symbol.line,
                        message:
                            "`\(symbol.name)` is still here, but its deprecation says it is removed in \(deprecation.component) \(deprecation.removal) and this is \(package.version)"
                    ))
            }
        }
        if let lastRelease {
            let current = Set(symbols.map(\.key))
            let recordPath = lastRelease.version
            for symbol in lastRelease.symbols where !current.contains(symbol.key) {
                let origin = "public in \(recordPath) at \(symbol.file):\(symbol.line)"
                if symbol.deprecation == nil,
                    let released = SemanticVersion(lastRelease.version), package.version.major == released.major
                {
                    findings.append(
                        Finding(
                            file: APIRecord.folder + "/\(recordPath).json", line: nil,
                            message:
                                "`\(symbol.name)` (\(origin)) was removed without being deprecated first: deprecate it for a release, or remove it in a new major version"
                        ))
                } else if !named(symbol, in: .removal) {
                    findings.append(
                        Finding(
                            file: APIRecord.folder + "/\(recordPath).json", line: nil,
                            message:
                                "`\(symbol.name)` (\(origin)) is gone, but no removal fragment in \(FragmentDirectory.path)/ or \(FragmentDirectory.pluginAPIPath)/ names it"
                        ))
                }
            }
        }
        return findings
    }

    /// Whether a fragment of `type` names the symbol, or the type whose deprecation covers it.
    private func named(_ symbol: APISymbol, in type: FragmentType) -> Bool {
        let names = [symbol.name, symbol.shortName] + (symbol.deprecation.map { [$0.declaredOn] } ?? [])
        return fragments.contains { fragment in fragment.type == type && names.contains { fragment.names($0) } }
    }
}
