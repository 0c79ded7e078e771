import TandemApp
import TandemORM

/// Refuses text with a NUL character, as Django REST framework's fields do: PostgreSQL cannot
/// store it, and SQLite would keep what PostgreSQL refuses, so both engines answer 400 alike.
enum NullCharacters {
    /// Django's message, `Null characters are not allowed.`
    static let message = LocalizableMessage.nullCharacters

    /// The errors of a request body: each top-level field whose value holds a NUL anywhere.
    static func errors(in body: JSONValue) -> ValidationErrors {
        var errors = ValidationErrors()
        if case .object(let fields) = body {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) where contains(value) {
                errors.add(message, field: name)
            }
        } else if contains(body) {
            errors.add(message, field: "non_field_errors")
        }
        return errors
    }

    /// Whether a string of `value`, at any depth, holds a NUL.
    static func contains(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains(where: contains)
        case .object(let fields): fields.contains { $0.key.utf8.contains(0) || contains($0.value) }
        default: false
        }
    }
}
