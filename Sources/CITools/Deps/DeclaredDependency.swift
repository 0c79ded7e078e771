import Foundation

/// A dependency as `swift package dump-package` reports it.
public struct DeclaredDependency: Sendable, Hashable {
    /// SwiftPM's identity: the last path component of the URL, lower-cased, without `.git`.
    public let identity: String
    /// What versions it admits.
    public let requirement: Requirement

    /// A dependency's version requirement.
    public enum Requirement: Sendable, Hashable {
        /// `lowerBound ..< upperBound` (also what `from:` and `"a"..."b"` become).
        case range(lowerBound: String, upperBound: String)
        /// `exact:`.
        case exact(String)
        /// `branch:`.
        case branch(String)
        /// `revision:`.
        case revision(String)
        /// A local package (`path:`): part of the same source tree, with no release to bound.
        case local
    }

    /// Reads the `dependencies` of dump-package's JSON; throws ``CheckInputError`` when it is not that.
    public static func parse(dumpPackageJSON data: Data) throws -> [DeclaredDependency] {
        let dump: Dump
        do {
            dump = try JSONDecoder().decode(Dump.self, from: data)
        } catch {
            throw CheckInputError(file: "Package.swift", "cannot read `swift package dump-package` output: \(error)")
        }
        return try dump.dependencies.map { entry in
            if let local = entry.fileSystem?.first {
                return DeclaredDependency(identity: local.identity, requirement: .local)
            }
            guard let declared = entry.sourceControl?.first ?? entry.registry?.first else {
                throw CheckInputError(file: "Package.swift", "a dependency of a kind this check does not know")
            }
            let requirement: Requirement
            if let range = declared.requirement.range?.first {
                requirement = .range(lowerBound: range.lowerBound, upperBound: range.upperBound)
            } else if let exact = declared.requirement.exact?.first {
                requirement = .exact(exact)
            } else if let branch = declared.requirement.branch?.first {
                requirement = .branch(branch)
            } else if let revision = declared.requirement.revision?.first {
                requirement = .revision(revision)
            } else {
                throw CheckInputError(
                    file: "Package.swift", "\(declared.identity): a requirement this check does not know")
            }
            return DeclaredDependency(identity: declared.identity, requirement: requirement)
        }
    }

    private struct Dump: Decodable {
        let dependencies: [Entry]
    }

    private struct Entry: Decodable {
        let sourceControl: [Versioned]?
        let registry: [Versioned]?
        let fileSystem: [Local]?
    }

    private struct Versioned: Decodable {
        let identity: String
        let requirement: RequirementJSON
    }

    private struct Local: Decodable {
        let identity: String
    }

    private struct RequirementJSON: Decodable {
        let range: [Bounds]?
        let exact: [String]?
        let branch: [String]?
        let revision: [String]?
    }

    private struct Bounds: Decodable {
        let lowerBound: String
        let upperBound: String
    }
}
