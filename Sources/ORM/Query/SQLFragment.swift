import TandemDatabase

/// A piece of SQL written by hand, such as a subquery, whose values are bound as parameters.
///
/// Write it as a string literal: the literal text is SQL, an interpolated value is bound as a
/// parameter, `\(identifier:)` quotes a table or column name, and an interpolated fragment is
/// embedded with its values. The text holds no placeholders of its own: they are numbered where
/// the fragment is rendered, so one fragment fits anywhere in a larger statement, on either
/// dialect.
///
/// ```swift
/// let removed: SQLFragment = """
///     SELECT content_id FROM \(identifier: "core_repositorycontent")
///     WHERE version_removed_id = \(version.pulpID)
///     """
/// let gone = try Content.query(on: database).filter(Column("pulp_id").in(removed)).all()
/// ```
///
/// Only the literal text is SQL: a `String` interpolated into a fragment is a value, never SQL.
/// So a fragment is written in source, never built from a runtime string (that would make the
/// string SQL). Interpolate a value bare, not in quotes: `'\(name)'` is the string constant of a
/// placeholder, which matches nothing. And write no placeholders (`?`, `$1`) of your own.
public struct SQLFragment: Sendable, ExpressibleByStringInterpolation {
    /// One run of SQL text or one bound value.
    enum Piece: Sendable {
        case text(String)
        case value(DatabaseValue)
    }

    /// The fragment's text and values, in order.
    let pieces: [Piece]

    /// A fragment of SQL text without values.
    public init(stringLiteral text: String) {
        pieces = text.isEmpty ? [] : [.text(text)]
    }

    /// A fragment built from a string literal with interpolations.
    public init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.pieces
    }

    /// The fragment rendered on its own for `dialect`, with its placeholders numbered from 1, and
    /// the values they bind; for running it with `Connection.query(_:_:)`.
    public func rendered(for dialect: Dialect) -> (sql: String, values: [DatabaseValue]) {
        var builder = SQLBuilder(dialect: dialect)
        builder.append(fragment: self)
        return (builder.sql, builder.values)
    }

    /// Collects a fragment's literal text and interpolations.
    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []

        /// Starts an empty fragment.
        public init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(2 * interpolationCount + 1)
        }

        /// Appends SQL text.
        public mutating func appendLiteral(_ literal: String) {
            appendText(literal)
        }

        /// Appends a value, bound as a parameter: `WHERE pulp_id = \(id)`.
        public mutating func appendInterpolation(_ value: some DatabaseValueConvertible) {
            pieces.append(.value(value.databaseValue))
        }

        /// Appends a table or column name, quoted: `FROM \(identifier: Content.tableName)`.
        public mutating func appendInterpolation(identifier: String) {
            appendText(quoteIdentifier(identifier))
        }

        /// Appends another fragment, its values included.
        public mutating func appendInterpolation(_ fragment: SQLFragment) {
            for piece in fragment.pieces {
                switch piece {
                case .text(let text): appendText(text)
                case .value: pieces.append(piece)
                }
            }
        }

        private mutating func appendText(_ text: String) {
            guard !text.isEmpty else { return }
            if case .text(let previous) = pieces.last {
                pieces[pieces.count - 1] = .text(previous + text)
            } else {
                pieces.append(.text(text))
            }
        }
    }
}
