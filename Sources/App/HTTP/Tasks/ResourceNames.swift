import Foundation
import TandemTasks

extension ServingEnvironment {
    /// The name under which tasks reserve a served object: its table as Pulp's app label and
    /// model (`file_fileremote` → `prn:file.fileremote:<uuid>`).
    static func resourceName(table: String, id: UUID) -> ResourceName {
        let parts = table.split(separator: "_", maxSplits: 1).map(String.init)
        return ResourceName.model(app: parts[0], model: parts.count > 1 ? parts[1] : parts[0], id: id)
    }

    /// The resource name of the object an href names (`/pulp/api/v3/remotes/file/file/<uuid>/`);
    /// any other text is a resource name already.
    func resourceName(of text: String) -> ResourceName {
        guard text.hasPrefix(apiBase) else { return ResourceName(text) }
        var parts = text.dropFirst(apiBase.count).split(separator: "/").map(String.init)
        guard let key = parts.popLast(), let id = UUID(uuidString: key),
            let table = tables[parts.joined(separator: "/")]
        else { return ResourceName(text) }
        return Self.resourceName(table: table, id: id)
    }
}
