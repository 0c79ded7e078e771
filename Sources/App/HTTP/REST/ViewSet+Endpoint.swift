import Foundation
import HTTPTypes
import TandemApp
import TandemDatabase
import TandemORM
import TandemTasks

extension ViewSet: Endpoint {
    var modelType: Any.Type { M.self }
    var collectionMethods: [HTTPRequest.Method] { readOnly ? [.get] : [.get, .post] }
    var itemMethods: [HTTPRequest.Method] { readOnly ? [.get] : [.get, .put, .patch, .delete] }

    func list(query: String?, baseURL: String, in environment: ServingEnvironment) async throws -> JSONValue {
        let request = try ListRequest(
            QueryParameters(query), filters: filters, orderingFields: orderingFields,
            defaultLimit: environment.defaultLimit, maximumLimit: environment.maximumLimit)
        var selection = M.query(on: environment.database)
        for condition in request.conditions { selection = selection.filter(condition) }
        let parameters = QueryParameters(query)
        for filter in queryFilters {
            guard let value = parameters[filter.name] else { continue }
            selection = selection.filter(try await filter.condition(value, environment.database))
        }
        let count = try await selection.count()
        for ordering in (request.orderings.isEmpty ? defaultOrdering : request.orderings) {
            selection = selection.order(ordering)
        }
        let values = try await selection.order(Column(M.primaryKey).ascending)
            .limit(request.limit, offset: request.offset).all()
        let rendered = try await environment.decorated(
            try values.map { try environment.render($0, fallbackPath: path) }, of: M.self)
        let results = rendered.map { JSONValue.object(request.shape($0)) }
        return page(count: count, results: results, request: request, baseURL: baseURL, parameters: query)
    }

    func retrieve(_ key: String, in environment: ServingEnvironment) async throws -> JSONValue {
        .object(
            try await environment.decorated(
                try environment.render(try await stored(key, in: environment), fallbackPath: path), of: M.self))
    }

    func create(_ body: JSONValue, in environment: ServingEnvironment) async throws -> JSONValue {
        var value = try await validated(body, over: nil, in: environment)
        do {
            value = try await environment.create(value)
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw uniquenessError(error)
        }
        return .object(try await environment.decorated(try environment.render(value, fallbackPath: path), of: M.self))
    }

    func update(_ key: String, with body: JSONValue, partial: Bool, in environment: ServingEnvironment) async throws
        -> JSONValue
    {
        let existing = try await stored(key, in: environment)
        var value = try await validated(body, over: partial ? existing : nil, in: environment, excluding: key)
        value.keepStoredFields(of: existing)
        do {
            try await value.update(on: environment.database)
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw uniquenessError(error)
        } catch PersistenceError.notFound {
            throw APIError.notFound
        }
        return .object(try await environment.decorated(try environment.render(value, fallbackPath: path), of: M.self))
    }

    func delete(_ key: String, in environment: ServingEnvironment) async throws {
        let existing = try await stored(key, in: environment)
        do {
            try await existing.delete(on: environment.database)
        } catch PersistenceError.notFound {
            throw APIError.notFound
        }
    }

    func checkUpdate(_ key: String, with body: JSONValue, partial: Bool, in environment: ServingEnvironment)
        async throws
    {
        let existing = try await stored(key, in: environment)
        _ = try await validated(body, over: partial ? existing : nil, in: environment, excluding: key)
    }

    func resourceName(of key: String, in environment: ServingEnvironment) async throws -> ResourceName {
        let existing = try await stored(key, in: environment)
        guard case .string(let text)? = try ResourceCoding.flatObject(existing)[M.primaryKey],
            let id = UUID(uuidString: text)
        else { throw APIError.notFound }
        return ServingEnvironment.resourceName(table: M.tableName, id: id)
    }

    /// The stored value with this key, or a 404.
    private func stored(_ key: String, in environment: ServingEnvironment) async throws -> M {
        guard let uuid = UUID(uuidString: key),
            let value = try await M.query(on: environment.database).filter(Column(M.primaryKey) == uuid).first()
        else { throw APIError.notFound }
        return value
    }

    /// The value a create or update body describes, with every field error at once: unknown
    /// fields, the serializer's errors, and duplicates of unique fields.
    /// - Parameters:
    ///   - base: for a partial update, the stored value whose fields the body overrides.
    ///   - key: for an update, the value's own key (not a duplicate of itself).
    private func validated(
        _ body: JSONValue, over base: M?, in environment: ServingEnvironment, excluding key: String? = nil
    ) async throws -> M {
        guard case .object(let given) = body else {
            throw APIError.invalid(
                "Invalid data. Expected a dictionary, but got \(body.kindName).", field: "non_field_errors")
        }
        var errors = ValidationErrors()
        let known = Set(try M.tableColumns.joined()).union(["pulp_href"])
        for field in given.keys.sorted() where !known.contains(field) {
            errors.add(LocalizableMessage.unexpectedField, field: field)
        }
        var input = given.filter { known.contains($0.key) }
        if let base {
            input = try ResourceCoding.flatObject(base).merging(input) { _, new in new }
        }
        var value: M?
        do {
            value = try Serializer<M>().validated(input)
        } catch {
            for fieldError in error.fieldErrors { errors.add(fieldError.localizable, field: fieldError.field) }
        }
        for field in try await duplicatedFields(in: input, excluding: key, in: environment)
        where errors.messages(for: field).isEmpty {
            errors.add(Self.uniqueMessage, field: field)
        }
        guard let value, errors.isEmpty else { throw APIError(errors) }
        return value
    }

    /// The unique fields whose given text another stored row already has. Checked on the input
    /// itself, so a duplicate is reported together with the other fields' errors.
    private func duplicatedFields(
        in input: [String: JSONValue], excluding key: String?, in environment: ServingEnvironment
    ) async throws -> [String] {
        var duplicated: [String] = []
        for field in uniqueFields {
            // Only text is compared: a value of another type is the serializer's error, and
            // PostgreSQL refuses to compare a text column with a number.
            guard case .string(let value) = input[field] else { continue }
            var others = M.query(on: environment.database).filter(Column(field) == value)
            if let key, let uuid = UUID(uuidString: key) { others = others.filter(Column(M.primaryKey) != uuid) }
            if try await others.count() > 0 { duplicated.append(field) }
        }
        return duplicated
    }

    /// A unique constraint's violation as its field's error: the column the database names when
    /// it is a declared unique field, else every declared unique field.
    private func uniquenessError(_ error: DatabaseError) -> APIError {
        var errors = ValidationErrors()
        let fields = error.column.map { uniqueFields.contains($0) ? [$0] : uniqueFields } ?? uniqueFields
        for field in fields.isEmpty ? ["non_field_errors"] : fields { errors.add(Self.uniqueMessage, field: field) }
        return APIError(errors)
    }

    /// Django REST framework's message for a duplicate.
    static var uniqueMessage: LocalizableMessage { .unique }
}

extension JSONValue {
    /// The JSON kind, for messages: `str`, `list`... as Django REST framework names them.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .integer: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        }
    }
}
