import HTTPTypes
import TandemApp
import TandemORM

/// What the API document says about one endpoint: its paths, fields, filters and operations.
struct EndpointDocumentation: Sendable {
    /// The path under `api/v3/`.
    let path: String
    /// The OpenAPI tag.
    let tag: String
    /// The schema's base name: `file.FileRemote`.
    let schemaName: String
    /// The fields, from a probe of the model.
    let fields: [FieldSchemaProbe.Field]
    /// Fields the client never sets.
    let readOnlyFields: Set<String>
    /// Fields with a default when the client leaves them out.
    let defaultedFields: Set<String>
    /// The model's primary key (replaced by `pulp_href`).
    let primaryKey: String
    /// The list filters.
    let filters: [FilterField]
    /// The fields a list may be ordered by.
    let orderingFields: [String]
    /// The methods of the collection path.
    let collectionMethods: [HTTPRequest.Method]
    /// The methods of the item path.
    let itemMethods: [HTTPRequest.Method]
    /// Whether updates and deletes answer 202 with a task.
    var changesRunAsTasks = false
    /// Query parameters of ``QueryFilter``s, with their descriptions.
    var queryFilters: [(name: String, description: String)] = []
    /// Fields the API adds to the model's own (`latest_version_href`), shown read-only.
    var addedFields: [String] = []

    /// `remotes/file/file` → `remotes_file_file`, the prefix of Pulp's operation ids.
    var operationPrefix: String { path.replacingOccurrences(of: "/", with: "_") }

    /// The item path's parameter, as Pulp names it: `remotes/file/file` → `file_file_remote_href`.
    var hrefParameter: String {
        let parts = path.split(separator: "/").map(String.init)
        let resource = Self.singular(parts[0])
        return (Array(parts.dropFirst()) + [resource, "href"]).joined(separator: "_")
    }

    static func singular(_ word: String) -> String {
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("s") { return String(word.dropLast()) }
        return word
    }

    /// Documents a model served at `path`.
    init<M: Model>(
        _ type: M.Type, path: String, tag: String, filters: [FilterField], orderingFields: [String],
        collectionMethods: [HTTPRequest.Method], itemMethods: [HTTPRequest.Method]
    ) {
        self.path = path
        self.tag = tag
        let name = String(describing: M.self)
        if let member = M.self as? any InheritanceMember.Type {
            schemaName = "\(member.appLabel).\(name)"
        } else {
            schemaName = name
        }
        fields = FieldSchemaProbe.fields(of: M.self)
        readOnlyFields = Self.readOnly(of: M.self).union([M.primaryKey, "pulp_type"])
        defaultedFields = Set(M.serializerDefaults.keys)
        primaryKey = M.primaryKey
        self.filters = filters
        self.orderingFields = orderingFields
        self.collectionMethods = collectionMethods
        self.itemMethods = itemMethods
    }

    private static func readOnly(of type: any Model.Type) -> Set<String> {
        guard let detail = type as? any DetailModel.Type else { return type.readOnlyFields }
        return type.readOnlyFields.union(readOnly(of: parent(of: detail)))
    }

    private static func parent<Detail: DetailModel>(of type: Detail.Type) -> any Model.Type { Detail.Parent.self }
}

extension ViewSet {
    var documentation: EndpointDocumentation {
        var documentation = EndpointDocumentation(
            M.self, path: path, tag: tag, filters: filters, orderingFields: orderingFields,
            collectionMethods: collectionMethods, itemMethods: itemMethods)
        documentation.changesRunAsTasks = changesRunAsTasks
        documentation.queryFilters = queryFilters.map { ($0.name, $0.description) }
        if M.tableChain.contains(Repository.tableName) {
            documentation.addedFields = ["versions_href", "latest_version_href"]
        }
        return documentation
    }
}

extension MasterViewSet {
    var documentation: EndpointDocumentation {
        var documentation = EndpointDocumentation(
            M.self, path: path, tag: tag, filters: filters, orderingFields: orderingFields,
            collectionMethods: collectionMethods, itemMethods: itemMethods)
        if M.tableChain.contains(Repository.tableName) {
            documentation.addedFields = ["versions_href", "latest_version_href"]
        }
        return documentation
    }
}
