import Foundation

/// A name a task reserves: any string, or a model's stable resource name
/// (`prn:file.fileremote:<uuid>`).
///
/// ```swift
/// let repository = ResourceName.model(app: "file", model: "filerepository", id: repositoryID)
/// try await queue.dispatch("file.tasks.synchronize", exclusiveResources: [repository], ...)
/// ```
public struct ResourceName: Sendable, Hashable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The name as stored.
    public let value: String

    /// A resource named by any string.
    public init(_ value: String) { self.value = value }

    /// A resource named by a string literal.
    public init(stringLiteral value: String) { self.value = value }

    /// A model's resource name: `prn:<app>.<model>:<uuid>`, lower case.
    public static func model(app: String, model: String, id: UUID) -> ResourceName {
        ResourceName("prn:\(app.lowercased()).\(model.lowercased()):\(id.uuidString.lowercased())")
    }

    /// The name.
    public var description: String { value }

    /// Orders by name.
    public static func < (lhs: ResourceName, rhs: ResourceName) -> Bool { lhs.value < rhs.value }

    /// Decodes from a plain string.
    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
