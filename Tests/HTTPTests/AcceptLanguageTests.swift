import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemApp
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// API errors and validation messages answer in the language of `Accept-Language`, through the
/// host's catalogues; English when the header names no language the API has.
@Suite("REST: messages in the request's language")
struct AcceptLanguageTests {
    private static let german: HTTPFields = [.acceptLanguage: "de-CH, en;q=0.5"]

    @Test("a 404 and a 405 in German", arguments: TestDatabaseKind.engines)
    func errorsInGerman(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind) { client, _ in
            let missing = "/pulp/api/v3/remotes/file/file/\(UUID().uuidString.lowercased())/"
            let notFound = try await client.json(.get, missing, headers: Self.german)
            #expect(notFound.status == .notFound)
            #expect(notFound.json["detail"]?.string == "Nicht gefunden.")
            let unknownPath = try await client.json(.get, "/pulp/api/v3/nowhere/", headers: Self.german)
            #expect(unknownPath.json["detail"]?.string == "Nicht gefunden.")
            let method = try await client.json(.put, "/pulp/api/v3/remotes/file/file/", "{}", headers: Self.german)
            #expect(method.json["detail"]?.string == "Methode \"PUT\" nicht erlaubt.")
            let english = try await client.json(.get, missing, headers: [.acceptLanguage: "fr, *;q=0.1"])
            #expect(english.json["detail"]?.string == "Not found.")
            let none = try await client.json(.get, missing)
            #expect(none.json["detail"]?.string == "Not found.")
            let list = try await client.json(
                .get, "/pulp/api/v3/remotes/file/file/?limit=x&offset=-1&ordering=colour", headers: Self.german)
            #expect(list.status == .badRequest)
            #expect(list.json["limit"] == .array([.string("Eine positive Ganzzahl ist erforderlich.")]))
            #expect(list.json["offset"] == .array([.string("Eine nicht-negative Ganzzahl ist erforderlich.")]))
            #expect(
                list.json["ordering"]
                    == .array([.string("Wählen Sie eine gültige Option. colour ist keine der verfügbaren Optionen.")]))
        }
    }

    @Test("validation errors in German, every field at once", arguments: TestDatabaseKind.engines)
    func validationInGerman(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind) { client, database in
            let path = "/pulp/api/v3/remotes/file/file/"
            let invalid = try await client.json(
                .post, path, #"{"name": "", "url": "ftp://x", "policy": "later", "colour": 1}"#, headers: Self.german)
            #expect(invalid.status == .badRequest)
            #expect(invalid.json["name"] == .array([.string("Dieses Feld darf nicht leer sein.")]))
            #expect(invalid.json["url"] == .array([.string("Geben Sie eine gültige URL ein.")]))
            #expect(invalid.json["policy"] == .array([.string("\"later\" ist keine gültige Option.")]))
            #expect(invalid.json["colour"] == .array([.string("Unerwartetes Feld.")]))

            let missing = try await client.json(.post, path, #"{"name": "a"}"#, headers: Self.german)
            #expect(missing.json["url"] == .array([.string("Dieses Feld ist erforderlich.")]))

            #expect(try await client.json(.post, path, #"{"name": "a", "url": "https://e/"}"#).status == .created)
            let duplicate = try await client.json(
                .post, path, #"{"name": "a", "url": "https://e/"}"#, headers: Self.german)
            #expect(duplicate.json["name"] == .array([.string("Dieses Feld muss eindeutig sein.")]))

            let media = try await client.json(
                .post, path, "name=a", headers: [.acceptLanguage: "de", .contentType: "text/plain"])
            #expect(media.json["detail"]?.string == "Nicht unterstützter Medientyp \"text/plain\" in der Anfrage.")
            #expect(try await Remote.query(on: database).count() == 1)
        }
    }

    @Test("authentication refusals in German", arguments: TestDatabaseKind.engines)
    func authenticationInGerman(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind, configure: { $0.authentication = AuthenticationConfiguration() }) { client, _ in
            let refused = try await client.json(.get, "/pulp/api/v3/remotes/", headers: Self.german)
            #expect(refused.status == .unauthorized)
            #expect(refused.json["detail"]?.string == "Anmeldedaten fehlen.")
        }
    }

    @Test("every message the API sends has a German template")
    func catalogueCoversTheAPIMessages() {
        let german = Localizer.bundled
        let messages: [LocalizableMessage] = [
            .notFound, .methodNotAllowed("GET"), .notAuthenticated, .permissionDenied, .unsupportedMediaType("x"),
            .parseError, .bodyTooLarge, .serverError, .throttled, .invalidCredentials, .invalidToken, .blank,
            .invalidURL, .invalidChoice("x"), .minimum(1), .fileName, .unique, .unexpectedField, .positiveInteger,
            .nonNegativeInteger, .unknownOrdering("x"),
        ]
        for message in messages {
            #expect(german.translate(message, to: "de") != message.text, "\(message.key)")
        }
    }
}
