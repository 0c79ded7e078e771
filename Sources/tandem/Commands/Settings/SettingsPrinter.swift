import Foundation
import TandemApp

/// How `tandem settings show` prints entries.
enum SettingsPrinter {
    /// One line per setting: `process_ttl.api = 90  (environment TANDEM_PROCESS_TTL__API)`,
    /// values as JSON.
    static func text(_ entries: [SettingEntry]) throws -> String {
        try entries.map { "\($0.key) = \(try encode($0.value))  (\($0.source))" }.joined(separator: "\n")
    }

    /// `{"file": …, "settings": [{"key", "value", "layer", "source", "plugin"?, "file"?, "line"?, "variable"?}]}`.
    static func json(_ entries: [SettingEntry], file: String?) throws -> String {
        let document = Document(file: file, settings: entries.map(Entry.init))
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // YAML's spellings: JSON has no infinities or NaN.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: ".inf", negativeInfinity: "-.inf", nan: ".nan")
        return encoder
    }()

    private static func encode(_ value: SettingValue) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private struct Document: Encodable {
        let file: String?
        let settings: [Entry]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(settings, forKey: .settings)
        }

        enum CodingKeys: String, CodingKey { case file, settings }
    }

    private struct Entry: Encodable {
        let key: String
        let value: SettingValue
        let layer: String
        let source: String
        let plugin: String?
        let file: String?
        let line: Int?
        let variable: String?

        init(_ entry: SettingEntry) {
            key = entry.key.description
            value = entry.value
            layer = entry.source.layer.kind
            source = entry.source.description
            if case .plugin(let label) = entry.source.layer { plugin = label } else { plugin = nil }
            if case .file(let path) = entry.source.layer { file = path } else { file = nil }
            line = entry.source.line
            variable = entry.source.variable
        }
    }
}
