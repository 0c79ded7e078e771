import Foundation

/// A parsed `Accept-Language` header value (RFC 9110 §12.5.4): language ranges with their
/// quality, best first.
///
/// ```swift
/// let header = AcceptLanguage("de-CH, fr;q=0.8, *;q=0.1")
/// header.bestMatch(among: ["en", "de"], default: "en")   // "de" (de-CH falls back to de)
/// ```
///
/// Malformed entries (a bad quality, a range that is not letters, digits and hyphens) are
/// skipped rather than failing the request, as servers commonly do.
public struct AcceptLanguage: Sendable, Hashable {
    /// One language range and its quality.
    public struct Range: Sendable, Hashable {
        /// The range, lower-cased (`de-ch`, `*`).
        public let tag: String
        /// Its quality, 0 through 1; 0 means "not this one".
        public let quality: Double
    }

    /// The ranges, highest quality first; equal qualities keep the header's order.
    public let ranges: [Range]

    /// Parses a header value; `nil` or an empty value has no ranges.
    public init(_ header: String?) {
        var parsed: [(offset: Int, range: Range)] = []
        for (offset, entry) in (header ?? "").split(separator: ",").enumerated() {
            let parts = entry.split(separator: ";", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let tag = parts[0].lowercased()
            guard Self.isValidRange(tag), let quality = Self.quality(parts.dropFirst()) else { continue }
            parsed.append((offset, Range(tag: tag, quality: quality)))
        }
        ranges = parsed.sorted { ($0.range.quality, -$0.offset) > ($1.range.quality, -$1.offset) }.map(\.range)
    }

    /// The best of `supported` languages for this header by RFC 4647 lookup: for each range,
    /// best first, the range itself, then shorter and shorter prefixes (`de-ch-1996`, `de-ch`,
    /// `de`); `*` or no match at all gives `default`.
    public func bestMatch(among supported: [String], default defaultLanguage: String) -> String {
        let byLowercase = Dictionary(supported.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for range in ranges where range.quality > 0 {
            if range.tag == "*" { return defaultLanguage }
            var candidate = Substring(range.tag)
            while true {
                if let language = byLowercase[String(candidate)] { return language }
                guard let hyphen = candidate.lastIndex(of: "-") else { break }
                candidate = candidate[..<hyphen]
                // A single-letter subtag (`x` in `de-x-foo`) never stands alone at the end.
                if let last = candidate.split(separator: "-").last, last.count == 1 {
                    candidate = candidate.dropLast(2)
                }
            }
        }
        return defaultLanguage
    }

    private static func isValidRange(_ tag: String) -> Bool {
        if tag == "*" { return true }
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        return !subtags.isEmpty
            && subtags.allSatisfy {
                (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            }
            && subtags[0].allSatisfy(\.isLetter)
    }

    /// The `q` parameter's value, 1 when absent; nil when malformed.
    private static func quality(_ parameters: ArraySlice<String>) -> Double? {
        var quality = 1.0
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "q" else { return nil }
            guard pair[1].count <= 5, let value = Double(pair[1]), (0...1).contains(value) else { return nil }
            quality = value
        }
        return quality
    }
}
