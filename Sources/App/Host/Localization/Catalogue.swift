import Foundation

/// One language's translations: catalogue key → template with `{name}` placeholders.
///
/// A catalogue file is a JSON object of strings:
///
/// ```json
/// { "validation.required": "Dieses Feld ist erforderlich." }
/// ```
///
/// TandemApp ships `en` and `de` as resources (``bundled``); a plugin ships its own files for its
/// own messages and adds them with ``Localizer/adding(_:)``.
public struct Catalogue: Sendable, Hashable {
    /// The language tag, lower-case (`de`, `pt-br`).
    public let language: String
    /// Key → template.
    public let templates: [String: String]

    /// A catalogue from templates.
    public init(language: String, templates: [String: String]) {
        self.language = language.lowercased()
        self.templates = templates
    }

    /// Reads a catalogue file.
    /// - Throws: ``CatalogueError`` naming the file when it is not a JSON object of strings.
    public init(language: String, contentsOf url: URL) throws(CatalogueError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CatalogueError(file: url.path, problem: "cannot be read")
        }
        guard let templates = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw CatalogueError(file: url.path, problem: "is not a JSON object of strings")
        }
        self.init(language: language, templates: templates)
    }

    /// The languages TandemApp ships a catalogue for.
    public static let bundledLanguages = ["en", "de"]

    /// The catalogues TandemApp ships.
    public static let bundled: [Catalogue] = bundledLanguages.map { language in
        guard let url = Bundle.module.url(forResource: language, withExtension: "json", subdirectory: "Catalogues")
        else { preconditionFailure("TandemApp's \(language) catalogue is missing from its resources") }
        do {
            return try Catalogue(language: language, contentsOf: url)
        } catch {
            preconditionFailure("\(error)")
        }
    }
}

/// A catalogue file could not be used.
public struct CatalogueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's path.
    public let file: String
    /// What is wrong with it.
    public let problem: String

    /// `/path/de.json: is not a JSON object of strings`.
    public var description: String { "\(file): \(problem)" }
}
