import Foundation
import TandemORM
import TandemTasks

/// A `GET tasks/` request's filters and page, read from the query string as Pulp's task filters
/// name them; every invalid parameter is reported at once (400).
struct TaskListQuery: Sendable {
    /// The filter, with its ordering.
    var filter = TaskFilter()
    /// The page and the fields to show.
    var list: ListRequest

    /// The filter parameters, each with what it filters: for the API document.
    static let parameters: [(name: String, isList: Bool, description: String)] = [
        ("state", false, "Filter results where state matches"),
        ("state__in", true, "Filter results where state is one of these"),
        ("name", false, "Filter results where name matches"),
        ("name__in", true, "Filter results where name is one of these"),
        ("name__contains", false, "Filter results where name contains this"),
        ("reserved_resources", false, "A resource (href or name) the task reserves"),
        ("reserved_resources__in", true, "Resources (hrefs or names) the task reserves, all of them"),
        ("exclusive_resources", false, "A resource the task reserves exclusively"),
        ("exclusive_resources__in", true, "Resources the task reserves exclusively, all of them"),
        ("shared_resources", false, "A resource the task reserves shared"),
        ("shared_resources__in", true, "Resources the task reserves shared, all of them"),
        ("worker", false, "The name of the worker that runs or ran the task"),
        ("task_group", false, "The task group (href or uuid)"),
        ("pulp_created__gte", false, "Dispatched at or after this time (ISO 8601)"),
        ("pulp_created__lte", false, "Dispatched at or before this time (ISO 8601)"),
        ("started_at__gte", false, "Started at or after this time (ISO 8601)"),
        ("started_at__lte", false, "Started at or before this time (ISO 8601)"),
        ("finished_at__gte", false, "Finished at or after this time (ISO 8601)"),
        ("finished_at__lte", false, "Finished at or before this time (ISO 8601)"),
    ]

    /// Reads the parameters; `resource` turns an object's href into the resource name its tasks
    /// reserve (other values are names already).
    init(
        _ parameters: QueryParameters, defaultLimit: Int, maximumLimit: Int,
        resource: (String) -> ResourceName
    ) throws(APIError) {
        var errors = ValidationErrors()
        do {
            list = try ListRequest(
                parameters, filters: [], orderingFields: TaskOrdering.fields, defaultLimit: defaultLimit,
                maximumLimit: maximumLimit)
        } catch {
            // Keep checking the rest, so the client sees every invalid parameter at once.
            list = try ListRequest(
                QueryParameters(nil), filters: [], orderingFields: [], defaultLimit: defaultLimit,
                maximumLimit: maximumLimit)
            Self.merge(error, into: &errors)
        }
        func values(_ name: String) -> [String] {
            var result = parameters[name].map { [$0] } ?? []
            result += (parameters[name + "__in"] ?? "").split(separator: ",").map(String.init)
            return result
        }
        for text in values("state") {
            if let state = TaskState(rawValue: text) {
                filter.states.append(state)
            } else {
                errors.add("Select a valid choice. \(text) is not one of the available choices.", field: "state")
            }
        }
        filter.names = values("name")
        filter.nameContains = parameters["name__contains"]
        filter.reservedResources = values("reserved_resources").map(resource)
        filter.exclusiveResources = values("exclusive_resources").map(resource)
        filter.sharedResources = values("shared_resources").map(resource)
        filter.worker = parameters["worker"]
        if let group = parameters["task_group"] {
            let key = group.split(separator: "/").last.map(String.init) ?? group
            if let id = UUID(uuidString: key) {
                filter.group = id
            } else {
                errors.add("Enter a valid task group href or UUID.", field: "task_group")
            }
        }
        func date(_ name: String) -> Date? {
            guard let text = parameters[name] else { return nil }
            guard let date = Self.parseDate(text) else {
                errors.add("Enter a valid date/time.", field: name)
                return nil
            }
            return date
        }
        filter.created = TaskFilter.DateBounds(from: date("pulp_created__gte"), to: date("pulp_created__lte"))
        filter.started = TaskFilter.DateBounds(from: date("started_at__gte"), to: date("started_at__lte"))
        filter.finished = TaskFilter.DateBounds(from: date("finished_at__gte"), to: date("finished_at__lte"))
        if let ordering = parameters["ordering"] {
            filter.ordering = ordering.split(separator: ",").compactMap {
                TaskOrdering($0.trimmingCharacters(in: .whitespaces))
            }
        }
        if !errors.isEmpty { throw APIError(errors) }
    }

    private static func merge(_ error: APIError, into errors: inout ValidationErrors) {
        guard case .object(let fields) = error.body else { return }
        for (field, messages) in fields.sorted(by: { $0.key < $1.key }) {
            guard case .array(let list) = messages else { continue }
            for case .string(let message) in list { errors.add(message, field: field) }
        }
    }

    /// ISO 8601 with or without fractions and offset (UTC when none), or `YYYY-MM-DD HH:MM:SS`.
    static func parseDate(_ text: String) -> Date? {
        let normalized = text.replacingOccurrences(of: " ", with: "T")
        let hasZone = normalized.hasSuffix("Z") || normalized.dropFirst(19).contains { $0 == "+" || $0 == "-" }
        let zoned = hasZone ? normalized : normalized + "Z"
        if let date = try? Date(zoned, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(zoned, strategy: Date.ISO8601FormatStyle())
    }
}
