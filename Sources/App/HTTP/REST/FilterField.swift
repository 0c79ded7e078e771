import TandemDatabase
import TandemORM

/// A field a list endpoint filters on, with the lookups it accepts, as django-filter declares
/// them: `name`, `name__contains`, `name__in`...
public struct FilterField: Sendable, Hashable {
    /// A way of comparing the field with the query parameter's value.
    public enum Lookup: String, Sendable, Hashable, CaseIterable {
        /// `field=value`: equal.
        case exact
        /// `field__contains=value`: SQL `LIKE '%value%'` (on SQLite case-insensitive for ASCII, as
        /// SQLite's `LIKE` is; `%` and `_` in the value match any characters).
        case contains
        /// `field__startswith=value`: SQL `LIKE 'value%'`, with the same caveats as ``contains``.
        case startswith
        /// `field__in=a,b`: one of a comma-separated list.
        case `in`
        /// `field__ne=value`: not equal.
        case ne

        /// The query parameter for a field: `name` for exact, else `name__<lookup>`.
        public func parameter(for field: String) -> String {
            self == .exact ? field : "\(field)__\(rawValue)"
        }
    }

    /// The column.
    public let name: String
    /// The lookups accepted.
    public let lookups: [Lookup]

    /// A field filtered by the given lookups (all of them by default).
    public init(_ name: String, lookups: [Lookup] = Lookup.allCases) {
        self.name = name
        self.lookups = lookups
    }

    /// The SQL condition for one lookup and the parameter's raw value.
    func condition(_ lookup: Lookup, value: String) -> SQLExpression {
        let column = Column(name)
        switch lookup {
        case .exact: return column == value
        case .ne: return column != value
        case .contains: return column.like("%\(value)%")
        case .startswith: return column.like("\(value)%")
        case .in: return column.in(value.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        }
    }
}
