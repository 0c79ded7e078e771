import TandemORM

/// Translates user-facing messages (validation errors, API errors) into the language a request
/// asks for; administrator-facing text (logs, migration output, the CLI) stays English.
///
/// ```swift
/// let localizer = Localizer.bundled
/// let language = localizer.language(forAcceptLanguage: request.headers["Accept-Language"])
/// let body = localizer.translate(validationErrors, to: language)   // ["name": ["Dieses Feld ist erforderlich."]]
/// ```
///
/// A message's template is looked up in the language's catalogue, then in its parent languages'
/// (`de-ch` → `de`), then in English's, and finally the message's own English text is used.
public struct Localizer: Sendable {
    /// The language used when a request names none that is available.
    public static let defaultLanguage = "en"
    /// The catalogues TandemApp ships (English and German).
    public static let bundled = Localizer(catalogues: Catalogue.bundled)

    private let catalogues: [String: Catalogue]

    /// A localizer over catalogues; several for one language are merged, later ones winning.
    public init(catalogues: [Catalogue]) {
        var merged: [String: Catalogue] = [:]
        for catalogue in catalogues {
            let templates = (merged[catalogue.language]?.templates ?? [:]).merging(catalogue.templates) { $1 }
            merged[catalogue.language] = Catalogue(language: catalogue.language, templates: templates)
        }
        self.catalogues = merged
    }

    /// This localizer with more catalogues (a plugin's own messages); theirs win on equal keys.
    public func adding(_ more: [Catalogue]) -> Localizer {
        Localizer(catalogues: catalogues.values.sorted { $0.language < $1.language } + more)
    }

    /// The languages with a catalogue, sorted.
    public var languages: [String] { catalogues.keys.sorted() }

    /// The language to answer in for an `Accept-Language` header value (nil when absent).
    public func language(forAcceptLanguage header: String?) -> String {
        AcceptLanguage(header).bestMatch(among: languages, default: Self.defaultLanguage)
    }

    /// A message in `language`, placeholders filled.
    public func translate(_ message: LocalizableMessage, to language: String) -> String {
        for candidate in fallbacks(of: language.lowercased()) {
            if let template = catalogues[candidate]?.templates[message.key] { return message.rendered(template) }
        }
        return message.text
    }

    /// Validation errors as an HTTP 400 body maps them: field → its messages in `language`.
    public func translate(_ errors: ValidationErrors, to language: String) -> [String: [String]] {
        var body: [String: [String]] = [:]
        for error in errors.fieldErrors {
            body[error.field, default: []].append(translate(error.localizable, to: language))
        }
        return body
    }

    /// `de-ch-1996`, `de-ch`, `de`, then the default language.
    private func fallbacks(of language: String) -> [String] {
        var chain: [String] = []
        var candidate = Substring(language)
        while !candidate.isEmpty {
            chain.append(String(candidate))
            guard let hyphen = candidate.lastIndex(of: "-") else { break }
            candidate = candidate[..<hyphen]
        }
        if !chain.contains(Self.defaultLanguage) { chain.append(Self.defaultLanguage) }
        return chain
    }
}
