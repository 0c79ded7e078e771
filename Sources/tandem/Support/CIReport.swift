import ArgumentParser
import Foundation
import TandemCITools

/// `--package PATH` of the CI checks.
struct PackageOption: ParsableArguments {
    @Option(name: .long, help: "The package's root folder.")
    var package = "."

    /// The root as a URL.
    var root: URL { URL(fileURLWithPath: package, isDirectory: true) }
}

/// How the CI checks report: findings on standard output as `path:line: error: …`, a summary on
/// standard error, and the exit code (1 problems, 2 bad input).
enum CIReport {
    /// Runs `body`; a ``CheckInputError`` is printed, every finding, and becomes exit 2.
    static func inputErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CheckInputError {
            throw fail(error.findings, summary: "\(error.findings.count) input error(s)", code: .validationFailure)
        }
    }

    /// The async form of ``inputErrors(_:)``.
    static func inputErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CheckInputError {
            throw fail(error.findings, summary: "\(error.findings.count) input error(s)", code: .validationFailure)
        }
    }

    /// Prints the outcome of a check and exits 1 when it found problems.
    static func finish(_ findings: [Finding], what: String) throws {
        guard !findings.isEmpty else {
            print("\(what): no problems")
            return
        }
        throw fail(findings, summary: "\(what): \(findings.count) problem(s)", code: .failure)
    }

    /// Prints the findings and the summary; the returned code leaves through ``ExitStatus``.
    private static func fail(_ findings: [Finding], summary: String, code: ExitCode) -> ExitCode {
        for finding in findings { print(finding) }
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        return code
    }
}
