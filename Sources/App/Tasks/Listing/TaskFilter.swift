import Foundation
import TandemDatabase

/// Which tasks a listing selects, as Pulp's task filters do (`state__in`, `name__contains`,
/// `reserved_resources`...). Every condition given must hold; an empty filter selects every task.
///
/// ```swift
/// var filter = TaskFilter()
/// filter.states = [.failed, .canceled]
/// filter.reservedResources = ["prn:file.filerepository:…"]
/// let (count, tasks) = try await queue.tasks(matching: filter, limit: 10, offset: 0)
/// ```
public struct TaskFilter: Sendable, Hashable {
    /// The states, any of them (`state`, `state__in`).
    public var states: [TaskState] = []
    /// The names, any of them (`name`, `name__in`).
    public var names: [String] = []
    /// Text the name contains (`name__contains`).
    public var nameContains: String?
    /// Resources the task reserves in either way, all of them (`reserved_resources`).
    public var reservedResources: [ResourceName] = []
    /// Resources the task reserves exclusively, all of them (`exclusive_resources`).
    public var exclusiveResources: [ResourceName] = []
    /// Resources the task reserves shared, all of them (`shared_resources`).
    public var sharedResources: [ResourceName] = []
    /// The worker (or process) that runs or ran it (`worker`).
    public var worker: String?
    /// Its group (`task_group`).
    public var group: UUID?
    /// Bounds on when it was dispatched, started and finished (`pulp_created__gte`...).
    public var created = DateBounds()
    /// Bounds on when it started (`started_at__gte`, `started_at__lte`).
    public var started = DateBounds()
    /// Bounds on when it finished (`finished_at__gte`, `finished_at__lte`).
    public var finished = DateBounds()
    /// How to order the tasks: columns of ``TaskOrdering``; newest first when empty.
    public var ordering: [TaskOrdering] = []

    /// A filter selecting every task.
    public init() {}

    /// An inclusive range of times, either end open.
    public struct DateBounds: Sendable, Hashable {
        /// At or after this time.
        public var from: Date?
        /// At or before this time.
        public var to: Date?

        /// Open at both ends.
        public init(from: Date? = nil, to: Date? = nil) {
            self.from = from
            self.to = to
        }
    }
}

/// A column tasks may be ordered by, ascending or descending.
public struct TaskOrdering: Sendable, Hashable {
    /// The columns a listing may be ordered by, by their API names.
    public static let fields = ["pulp_created", "name", "state", "started_at", "finished_at"]

    /// The column's API name, one of ``fields``.
    public let field: String
    /// Whether the order is descending.
    public let descending: Bool

    /// Parses `name` or `-name`; nil when the column is not one of ``fields``.
    public init?(_ text: String) {
        descending = text.hasPrefix("-")
        field = descending ? String(text.dropFirst()) : text
        guard Self.fields.contains(field) else { return nil }
    }

    /// The SQL order term; `pulp_created` sorts on the dispatch sequence, which follows it.
    var sql: String {
        let column = field == "pulp_created" ? "id" : quoteIdentifier(field)
        return column + (descending ? " DESC" : " ASC")
    }
}

extension TaskFilter {
    /// The `WHERE` clause (empty when there is no condition) and its values.
    func sql(_ dialect: Dialect) throws -> (String, [DatabaseValue]) {
        var conditions: [String] = []
        var values: [DatabaseValue] = []
        func bind(_ value: DatabaseValue) -> String {
            values.append(value)
            return dialect.placeholder(values.count)
        }
        func contains(_ column: String, _ text: String) -> String {
            let needle = bind(.text(text))
            return dialect == .postgres ? "strpos(\(column), \(needle)) > 0" : "instr(\(column), \(needle)) > 0"
        }
        if !states.isEmpty {
            conditions.append("state IN (\(states.map { bind(.text($0.rawValue)) }.joined(separator: ", ")))")
        }
        if !names.isEmpty {
            conditions.append("name IN (\(names.map { bind(.text($0)) }.joined(separator: ", ")))")
        }
        if let nameContains { conditions.append(contains("name", nameContains)) }
        // The resource columns hold JSON arrays of strings: a resource is an element when its
        // JSON text, quotes included, occurs in the array's text.
        for resource in exclusiveResources {
            conditions.append(contains("exclusive_resources", try JSONCoding.encode(resource)))
        }
        for resource in sharedResources {
            conditions.append(contains("shared_resources", try JSONCoding.encode(resource)))
        }
        for resource in reservedResources {
            let element = try JSONCoding.encode(resource)
            conditions.append(
                "(\(contains("exclusive_resources", element)) OR \(contains("shared_resources", element)))")
        }
        if let worker { conditions.append("worker = \(bind(.text(worker)))") }
        if let group { conditions.append("task_group_id = \(bind(.uuid(group)))") }
        for (column, bounds) in [("pulp_created", created), ("started_at", started), ("finished_at", finished)] {
            if let from = bounds.from { conditions.append("\(column) >= \(bind(Self.time(from, dialect)))") }
            if let to = bounds.to { conditions.append("\(column) <= \(bind(Self.time(to, dialect)))") }
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), values)
    }

    /// A time as the task columns compare it: SQLite holds the text `TaskTables.now` writes.
    private static func time(_ date: Date, _ dialect: Dialect) -> DatabaseValue {
        guard dialect == .sqlite else { return .timestamp(date) }
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        style.timeZone = TimeZone(identifier: "UTC")!
        let iso = date.formatted(style)  // 2026-11-27T08:30:00.123Z
        return .text(iso.replacingOccurrences(of: "T", with: " "))
    }
}
