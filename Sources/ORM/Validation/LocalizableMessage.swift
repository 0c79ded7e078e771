import Foundation

/// A user-facing message that can be translated: a catalogue key, the English text and the
/// values of its `{placeholders}`.
///
/// ```swift
/// let message = LocalizableMessage("validation.required", english: "this field is required")
/// message.text   // "this field is required"
/// ```
///
/// A catalogue (TandemApp's `Localizer`) looks the key up in the requested language and fills the
/// placeholders; a key it does not know falls back to ``english``. A message made from plain
/// text (``init(_:)``) uses that text as its key, gettext style, so a plugin's catalogue can
/// translate it by its English wording.
public struct LocalizableMessage: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The catalogue key (`validation.required`).
    public let key: String
    /// The English template, with `{name}` placeholders.
    public let english: String
    /// The placeholders' values.
    public let arguments: [String: String]

    /// A message with a key, its English template and the placeholders' values.
    public init(_ key: String, english: String, arguments: [String: String] = [:]) {
        self.key = key
        self.english = english
        self.arguments = arguments
    }

    /// A message whose English text is also its key.
    public init(_ text: String) {
        self.init(text, english: text)
    }

    /// The message in English, placeholders filled.
    public var text: String { rendered(english) }

    /// The message in English.
    public var description: String { text }

    /// Fills `template`'s `{name}` placeholders with ``arguments`` in one pass, so a value that
    /// itself looks like a placeholder stays as given; unknown placeholders stay as written.
    public func rendered(_ template: String) -> String {
        template.replacing(/\{([A-Za-z_][A-Za-z0-9_]*)\}/) { match in
            arguments[String(match.output.1)] ?? String(match.output.0)
        }
    }
}

extension LocalizableMessage {
    /// `this field is required`.
    public static let required = LocalizableMessage("validation.required", english: "this field is required")
    /// `must be a JSON object`: the request body is not an object.
    public static let bodyNotObject = LocalizableMessage("validation.body_not_object", english: "must be a JSON object")

    /// `expected a string` and the like: a field's value has the wrong type.
    static func expected(_ type: Any.Type) -> LocalizableMessage {
        switch type {
        case is String.Type: LocalizableMessage("validation.expected_string", english: "expected a string")
        case is Bool.Type: LocalizableMessage("validation.expected_boolean", english: "expected a boolean")
        case is Int.Type, is Int64.Type, is Int32.Type:
            LocalizableMessage("validation.expected_integer", english: "expected an integer")
        case is Double.Type: LocalizableMessage("validation.expected_number", english: "expected a number")
        case is UUID.Type: LocalizableMessage("validation.expected_uuid", english: "expected a UUID")
        case is Date.Type: LocalizableMessage("validation.expected_timestamp", english: "expected a timestamp")
        default:
            LocalizableMessage(
                "validation.expected_type", english: "expected a valid {type}", arguments: ["type": "\(type)"])
        }
    }
}
