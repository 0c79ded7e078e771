import Foundation
import TandemApp
import TandemORM

/// What a list request asks for: a page, filters, an order and the fields to show, read from
/// the query string and checked against what the viewset declares.
struct ListRequest: Sendable {
    /// Rows per page.
    var limit: Int
    /// Rows skipped.
    var offset: Int
    /// The conditions of the filters given.
    var conditions: [SQLExpression] = []
    /// The requested order, before the primary key that makes it total.
    var orderings: [Ordering] = []
    /// Only these fields, when given.
    var fields: Set<String>?
    /// Not these fields.
    var excludedFields: Set<String> = []

    /// Reads and checks the parameters, reporting every invalid one at once.
    /// - Throws: ``APIError`` 400 naming each invalid parameter.
    init(
        _ parameters: QueryParameters, filters: [FilterField], orderingFields: [String], defaultLimit: Int,
        maximumLimit: Int
    ) throws(APIError) {
        var errors = ValidationErrors()
        limit = defaultLimit
        offset = 0
        if let given = parameters["limit"] {
            if let value = Int(given), value > 0 {
                limit = min(value, maximumLimit)
            } else {
                errors.add(LocalizableMessage.positiveInteger, field: "limit")
            }
        }
        if let given = parameters["offset"] {
            if let value = Int(given), value >= 0 {
                offset = value
            } else {
                errors.add(LocalizableMessage.nonNegativeInteger, field: "offset")
            }
        }
        for filter in filters {
            for lookup in filter.lookups {
                guard let value = parameters[lookup.parameter(for: filter.name)] else { continue }
                conditions.append(filter.condition(lookup, value: value))
            }
        }
        if let given = parameters["ordering"] {
            for term in given.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let descending = term.hasPrefix("-")
                let name = descending ? String(term.dropFirst()) : term
                if orderingFields.contains(name) {
                    orderings.append(descending ? Column(name).descending : Column(name).ascending)
                } else {
                    errors.add(LocalizableMessage.unknownOrdering(String(term)), field: "ordering")
                }
            }
        }
        fields = parameters["fields"].map { Set($0.split(separator: ",").map { String($0) }) }
        excludedFields = Set((parameters["exclude_fields"] ?? "").split(separator: ",").map { String($0) })
        if !errors.isEmpty { throw APIError(errors) }
    }

    /// Applies `fields` and `exclude_fields` to one object.
    func shape(_ object: [String: JSONValue]) -> [String: JSONValue] {
        object.filter { (fields?.contains($0.key) ?? true) && !excludedFields.contains($0.key) }
    }
}
