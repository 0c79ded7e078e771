/// Every problem found in a value's fields, reported together (Pulp's serializer errors).
/// Each message is translatable (``LocalizableMessage``); ``messages(for:)`` gives English.
///
/// ```swift
/// func validate(_ errors: inout ValidationErrors) {
///     if name.isEmpty { errors.add("must not be empty", field: "name") }
///     if !url.hasPrefix("https://") { errors.add("must start with https://", field: "url") }
/// }
/// ```
public struct ValidationErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem with one field.
    public struct FieldError: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The field (column) name.
        public let field: String
        /// What is wrong with it, translatable.
        public let localizable: LocalizableMessage

        /// What is wrong with it, in English.
        public var message: String { localizable.text }

        /// Creates a field error from English text, which is also its catalogue key.
        public init(field: String, message: String) {
            self.init(field: field, message: LocalizableMessage(message))
        }

        /// Creates a field error from a translatable message.
        public init(field: String, message: LocalizableMessage) {
            self.field = field
            self.localizable = message
        }

        /// `field: message`.
        public var description: String { "\(field): \(message)" }
    }

    /// The problems, in the order they were found.
    public private(set) var fieldErrors: [FieldError] = []

    /// No problems yet.
    public init() {}

    /// Records a problem with a field, in English; the text is also its catalogue key.
    public mutating func add(_ message: String, field: String) {
        fieldErrors.append(FieldError(field: field, message: message))
    }

    /// Records a translatable problem with a field.
    public mutating func add(_ message: LocalizableMessage, field: String) {
        fieldErrors.append(FieldError(field: field, message: message))
    }

    /// Whether no problem was found.
    public var isEmpty: Bool { fieldErrors.isEmpty }

    /// The fields with at least one problem, in order, each once.
    public var fields: [String] {
        var seen = Set<String>()
        return fieldErrors.map(\.field).filter { seen.insert($0).inserted }
    }

    /// The messages recorded for one field.
    public func messages(for field: String) -> [String] {
        fieldErrors.filter { $0.field == field }.map(\.message)
    }

    /// `invalid data: name: must not be empty; url: must start with https://`.
    public var description: String {
        "invalid data: " + fieldErrors.map(\.description).joined(separator: "; ")
    }
}
