import Foundation
import TandemApp
import TandemORM
import Testing

@Columns
struct Greeting: Model {
    static let tableName = "test_greeting"
    static let primaryKey = "id"
    var id: Int64? = nil
    var name: String
    var repeats: Int

    func validate(_ errors: inout ValidationErrors) {
        if repeats < 0 { errors.add("must not be negative", field: "repeats") }
    }
}

/// No database is involved: translation and negotiation work on the request alone (the
/// serializer validates JSON before anything is saved).
@Suite("Localization: catalogues and Accept-Language")
struct LocalizationTests {
    let localizer = Localizer.bundled

    @Test func aValidationMessageIsTranslatedForTheRequestsLanguage() throws {
        let errors = try #require(throws: ValidationErrors.self) {
            try Serializer<Greeting>().validated(json: Data(#"{"repeats": "three"}"#.utf8))
        }
        // English stays what it was for every existing caller.
        #expect(errors.messages(for: "name") == ["this field is required"])
        #expect(errors.messages(for: "repeats") == ["expected an integer"])

        let german = localizer.language(forAcceptLanguage: "de-CH, en;q=0.5")
        #expect(german == "de")
        #expect(
            localizer.translate(errors, to: german) == [
                "name": ["Dieses Feld ist erforderlich."], "repeats": ["Ganzzahl erwartet"],
            ])
        let english = localizer.language(forAcceptLanguage: "ja")
        #expect(
            localizer.translate(errors, to: english) == [
                "name": ["this field is required"], "repeats": ["expected an integer"],
            ])

        let body = try #require(throws: ValidationErrors.self) {
            try Serializer<Greeting>().validated(json: Data("[1]".utf8))
        }
        #expect(localizer.translate(body, to: "de") == ["body": ["muss ein JSON-Objekt sein"]])
    }

    @Test func placeholdersAreFilledInEveryLanguage() {
        let message = LocalizableMessage.methodNotAllowed("PATCH")
        #expect(message.text == #"Method "PATCH" not allowed."#)
        #expect(localizer.translate(message, to: "de") == #"Methode "PATCH" nicht erlaubt."#)
        #expect(localizer.translate(message, to: "de-at") == #"Methode "PATCH" nicht erlaubt."#)
        #expect(localizer.translate(message, to: "fr") == #"Method "PATCH" not allowed."#)

        // A value that looks like a placeholder is not filled in again.
        let tricky = LocalizableMessage("k", english: "{a} and {b} and {c}", arguments: ["a": "{b}", "b": "x"])
        #expect(tricky.text == "{b} and x and {c}")
        #expect(localizer.translate(tricky, to: "de") == "{b} and x and {c}")
    }

    @Test func aPluginsOwnMessagesAreTranslatedByItsCatalogue() throws {
        let errors = try #require(throws: ValidationErrors.self) {
            try Serializer<Greeting>().validated(json: Data(#"{"name": "x", "repeats": -1}"#.utf8))
        }
        #expect(localizer.translate(errors, to: "de") == ["repeats": ["must not be negative"]])
        let withPlugin = localizer.adding([
            Catalogue(language: "de", templates: ["must not be negative": "darf nicht negativ sein"])
        ])
        #expect(withPlugin.translate(errors, to: "de") == ["repeats": ["darf nicht negativ sein"]])
        #expect(withPlugin.translate(.required, to: "de") == "Dieses Feld ist erforderlich.")
    }

    @Test(
        arguments: [
            (nil, "en"),
            ("", "en"),
            ("de", "de"),
            ("DE", "de"),
            ("de-CH", "de"),
            ("de-CH-1996", "de"),
            ("de-x-private", "de"),
            ("fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7", "de"),
            ("en;q=0.2, de;q=0.9", "de"),
            ("de;q=0, en", "en"),
            ("de;q=0", "en"),
            ("ja, *;q=0.5", "en"),
            ("*", "en"),
            ("de;q=2, en", "en"),
            ("de;q=abc", "en"),
            ("de;level=1", "en"),
            ("d e, ;;, ,, en-US;q=0.4", "en"),
            ("123, de;q=0.1", "de"),
            ("de;q=0.500, en;q=0.5", "de"),
            ("en;q=0.5, de;q=0.500", "en"),
        ] as [(String?, String)])
    func acceptLanguageIsNegotiated(_ header: String?, _ expected: String) {
        #expect(localizer.language(forAcceptLanguage: header) == expected)
    }

    @Test func aHugeHeaderStillNegotiates() {
        let header = Array(repeating: "xx-yy;q=0.3", count: 20_000).joined(separator: ", ") + ", de;q=0.4"
        #expect(localizer.language(forAcceptLanguage: header) == "de")
    }

    @Test func qualitiesOrderTheRanges() {
        let parsed = AcceptLanguage("fr;q=0.5, de-CH, en;q=0.9")
        #expect(parsed.ranges.map(\.tag) == ["de-ch", "en", "fr"])
        #expect(parsed.ranges.map(\.quality) == [1, 0.9, 0.5])
    }

    /// Every shipped catalogue translates every key English has, with the same placeholders,
    /// and English's file says what the code says.
    @Test func theShippedCataloguesAreComplete() throws {
        let catalogues = Dictionary(uniqueKeysWithValues: Catalogue.bundled.map { ($0.language, $0) })
        let english = try #require(catalogues["en"])
        let german = try #require(catalogues["de"])
        #expect(Set(german.templates.keys) == Set(english.templates.keys))
        for (key, template) in english.templates {
            #expect(placeholders(german.templates[key] ?? "") == placeholders(template), "\(key)")
        }
        let fromCode: [LocalizableMessage] = [
            .required, .bodyNotObject, .notFound, .notAuthenticated, .permissionDenied, .methodNotAllowed("X"),
            .checksumForbidden("md5"),
        ]
        for message in fromCode {
            #expect(english.templates[message.key] == message.english, "\(message.key)")
        }
        #expect(localizer.languages == ["de", "en"])
    }

    @Test func aBrokenCatalogueFileIsNamed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-\(UUID().uuidString).json")
        try Data(#"{"a": 1}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: CatalogueError.self) { try Catalogue(language: "fr", contentsOf: file) }
        #expect(error?.description == "\(file.path): is not a JSON object of strings")
    }

    private func placeholders(_ template: String) -> Set<String> {
        Set(template.matches(of: /\{[a-z_]+\}/).map { String($0.output) })
    }
}
