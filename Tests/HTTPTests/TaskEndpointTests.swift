import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemHTTP
import TandemORM
import TandemTasks
import TandemTesting
import Testing

/// `tasks/` and `task-groups/`: list with Pulp's filters, show, cancel, delete, on both engines.
@Suite("HTTP: task endpoints")
struct TaskEndpointTests {
    static let repository = ResourceName("prn:file.filerepository:\(UUID().uuidString.lowercased())")

    @Test(arguments: TestDatabaseKind.engines)
    func listFiltersAndShows(_ kind: TestDatabaseKind) async throws {
        try await withTaskAPI(kind) { client, queue in
            let remoteID = UUID()
            let remote = ServingName.fileRemote(remoteID)
            let done = try await queue.dispatch(
                "test.progress", arguments: TestNote(text: "Steps"), immediate: true, deferred: false)
            let failed = try await queue.dispatch(
                "test.fail", arguments: TestNote(text: "it broke"), sharedResources: [remote], immediate: true)
            // No worker runs here: a deferred task waits.
            let waiting = try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1), exclusiveResources: [Self.repository])
            #expect(done.state == .completed && failed.state == .failed && waiting.state == .waiting)

            let all = try await client.json(.get, tasksPath)
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "application/json")
            #expect(all.json["count"]?.int == 3)
            // Newest first.
            #expect(
                all.json["results"]?.array?.compactMap { $0["name"]?.string } == [
                    "core.sleep", "test.fail", "test.progress",
                ])

            func names(_ query: String) async throws -> [String] {
                let page = try await client.json(.get, tasksPath + "?" + query)
                #expect(page.status == .ok, "\(query): \(page.json)")
                return page.json["results"]?.array?.compactMap { $0["name"]?.string } ?? []
            }
            #expect(try await names("state=completed") == ["test.progress"])
            #expect(try await names("state__in=failed,waiting") == ["core.sleep", "test.fail"])
            #expect(try await names("name=core.sleep") == ["core.sleep"])
            #expect(try await names("name__in=core.sleep,test.fail") == ["core.sleep", "test.fail"])
            #expect(try await names("name__contains=test.") == ["test.fail", "test.progress"])
            #expect(try await names("exclusive_resources=\(Self.repository)") == ["core.sleep"])
            #expect(try await names("shared_resources=\(Self.repository)") == [])
            #expect(try await names("reserved_resources=\(remote)") == ["test.fail"])
            // pulp-cli gives hrefs: an href of a served object means its resource name.
            let href = "/pulp/api/v3/remotes/file/file/\(remoteID.uuidString.lowercased())/"
            #expect(try await names("reserved_resources=\(href)") == ["test.fail"])
            #expect(try await names("shared_resources__in=\(href)") == ["test.fail"])
            #expect(try await names("ordering=name") == ["core.sleep", "test.fail", "test.progress"])
            #expect(try await names("ordering=-name&limit=1&offset=1") == ["test.fail"])
            #expect(try await names("worker=nobody") == [])
            #expect(try await names("pulp_created__gte=2000-01-01T00:00:00Z").count == 3)
            #expect(try await names("pulp_created__lte=2000-01-01T00:00:00") == [])
            #expect(try await names("finished_at__gte=2000-01-01+00:00:00").count == 2)

            let paged = try await client.json(.get, tasksPath + "?limit=2")
            #expect(paged.json["next"]?.string?.hasSuffix("/pulp/api/v3/tasks/?limit=2&offset=2") == true)
            #expect(paged.json["previous"] == .null)

            let invalid = try await client.json(
                .get, tasksPath + "?state=sleeping&limit=0&started_at__gte=yesterday&ordering=color")
            #expect(invalid.status == .badRequest)
            #expect(invalid.json.keys == ["state", "limit", "started_at__gte", "ordering"])

            let shown = try await client.json(.get, tasksPath + "\(failed.id.uuidString.lowercased())/")
            #expect(shown.status == .ok)
            #expect(shown.json["pulp_href"]?.string == tasksPath + "\(failed.id.uuidString.lowercased())/")
            #expect(shown.json["state"]?.string == "failed")
            #expect(shown.json["error"]?["description"]?.string?.contains("it broke") == true)
            #expect(shown.json["reserved_resources_record"] == .array([.string("shared:\(remote)")]))
            #expect(shown.json["created_resources"] == .array([]))
            #expect(shown.json["started_at"]?.string != nil && shown.json["finished_at"]?.string != nil)
            #expect(shown.json["task_group"] == .null)

            let progress = try await client.json(.get, tasksPath + "\(done.id.uuidString.lowercased())/")
            let report = try #require(progress.json["progress_reports"]?.array?.first)
            #expect(report["message"]?.string == "Steps" && report["code"]?.string == "steps")
            #expect(report["total"]?.int == 2 && report["done"]?.int == 2)
            #expect(progress.json["error"] == .null)

            let fields = try await client.json(.get, tasksPath + "?fields=state,name")
            #expect(fields.json["results"]?.array?.first?.keys == ["state", "name"])

            #expect(try await client.json(.get, tasksPath + "\(UUID().uuidString)/").status == .notFound)
            #expect(try await client.json(.get, tasksPath + "not-a-uuid/").status == .notFound)
            #expect(try await client.json(.post, tasksPath, "{}").status == .methodNotAllowed)
        }
    }

    /// A page of the list reads the progress reports of all its tasks in one query, and each
    /// task shows its own.
    @Test(arguments: TestDatabaseKind.engines)
    func listShowsEachTasksOwnProgressReportsFromOneQuery(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTaskAPI(kind, logger: log.logger) { client, queue in
            var texts: [UUID: String] = [:]
            for index in 0..<5 {
                let text = "Steps of task \(index)"
                let task = try await queue.dispatch(
                    "test.progress", arguments: TestNote(text: text), immediate: true, deferred: false)
                texts[task.id] = text
            }
            let silent = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), immediate: true, deferred: false)
            log.reset()
            let page = try await client.json(.get, tasksPath)
            #expect(page.status == .ok)
            let results = try #require(page.json["results"]?.array)
            #expect(results.count == 6)
            for shown in results {
                let href = try #require(shown["pulp_href"]?.string)
                let id = try #require(UUID(uuidString: String(href.dropFirst(tasksPath.count).dropLast())))
                let messages = shown["progress_reports"]?.array?.compactMap { $0["message"]?.string }
                #expect(messages == (id == silent.id ? [] : [texts[id] ?? "?"]), "task \(id)")
            }
            let progressQueries = log.statements.filter { $0.contains("core_progressreport") }
            #expect(progressQueries.count == 1, "\(progressQueries)")
        }
    }

    /// More tasks than one query takes (a page size an operator raised): the reports come from
    /// every chunk.
    @Test(arguments: TestDatabaseKind.engines)
    func progressReportsOfManyTasksComeFromEveryChunk(_ kind: TestDatabaseKind) async throws {
        try await withTaskAPI(kind) { _, queue in
            let first = try await queue.dispatch(
                "test.progress", arguments: TestNote(text: "first"), immediate: true, deferred: false)
            let last = try await queue.dispatch(
                "test.progress", arguments: TestNote(text: "last"), immediate: true, deferred: false)
            let ids = [first.id] + (0..<2_498).map { _ in UUID() } + [last.id]
            let reports = try await queue.progressReports(ofTasks: ids)
            #expect(reports.count == 2)
            #expect(reports[first.id]?.map(\.message) == ["first"])
            #expect(reports[last.id]?.map(\.message) == ["last"])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func cancelAndDelete(_ kind: TestDatabaseKind) async throws {
        try await withTaskAPI(kind) { client, queue in
            let waiting = try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1), exclusiveResources: [Self.repository])
            let href = tasksPath + "\(waiting.id.uuidString.lowercased())/"

            let badState = try await client.json(.patch, href, #"{"state": "completed"}"#)
            #expect(badState.status == .badRequest)
            #expect(badState.json.keys == ["state"])
            let extra = try await client.json(.patch, href, #"{"state": "canceled", "name": "x"}"#)
            #expect(extra.status == .badRequest)
            #expect(extra.json.keys == ["name"])
            #expect(try await queue.task(waiting.id).state == .waiting)

            let notFinal = try await client.json(.delete, href)
            #expect(notFinal.status == .conflict)
            #expect(notFinal.json["detail"]?.string?.contains("waiting") == true)
            #expect(try await queue.task(waiting.id).state == .waiting)

            let canceled = try await client.json(.patch, href, #"{"state": "canceled"}"#)
            #expect(canceled.status == .ok)
            #expect(canceled.json["state"]?.string == "canceled")
            #expect(try await queue.task(waiting.id).state == .canceled)
            let again = try await client.json(.patch, href, #"{"state": "canceled"}"#)
            #expect(again.status == .conflict)

            let deleted = try await client.json(.delete, href)
            #expect(deleted.status == .noContent)
            #expect(try await client.json(.get, href).status == .notFound)
            #expect(try await client.json(.delete, href).status == .notFound)
            #expect(try await client.json(.patch, href, #"{"state": "canceled"}"#).status == .notFound)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func taskGroupsCountStatesAndShowReports(_ kind: TestDatabaseKind) async throws {
        try await withTaskAPI(kind) { client, queue in
            let group = try await TaskGroup.create(description: "Two things", on: queue.database)
            try await group.addProgressReport(message: "Things done", code: "things", total: 2)
            try await group.increment("things")
            let first = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), immediate: true, deferred: false, group: group.id)
            try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1), exclusiveResources: [Self.repository],
                group: group.id)
            try await group.finishDispatching()
            _ = try await TaskGroup.create(description: "Empty", on: queue.database)

            let list = try await client.json(.get, taskGroupsPath)
            #expect(list.status == .ok)
            #expect(list.json["count"]?.int == 2)
            let href = taskGroupsPath + "\(group.id.uuidString.lowercased())/"
            let shown = try await client.json(.get, href)
            #expect(shown.status == .ok)
            #expect(shown.json["pulp_href"]?.string == href)
            #expect(shown.json["description"]?.string == "Two things")
            #expect(shown.json["all_tasks_dispatched"] == .bool(true))
            #expect(shown.json["completed"]?.int == 1 && shown.json["waiting"]?.int == 1)
            #expect(shown.json["failed"]?.int == 0 && shown.json["running"]?.int == 0)
            let report = try #require(shown.json["group_progress_reports"]?.array?.first)
            #expect(report["code"]?.string == "things" && report["done"]?.int == 1 && report["total"]?.int == 2)
            #expect(shown.json["tasks"]?.array?.compactMap { $0["name"]?.string } == ["core.noop", "core.sleep"])

            let task = try await client.json(.get, tasksPath + "\(first.id.uuidString.lowercased())/")
            #expect(task.json["task_group"]?.string == href)
            let inGroup = try await client.json(.get, tasksPath + "?task_group=\(href)")
            #expect(inGroup.json["count"]?.int == 2)

            #expect(try await client.json(.get, taskGroupsPath + "\(UUID().uuidString)/").status == .notFound)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func documentNamesTaskOperationsAsPulpDoes(_ kind: TestDatabaseKind) async throws {
        try await withTaskAPI(kind) { client, _ in
            let document = try await client.json(.get, "/pulp/api/v3/docs/api.json")
            let paths = try #require(document.json["paths"])
            #expect(paths[tasksPath]?["get"]?["operationId"]?.string == "tasks_list")
            #expect(paths["{task_href}"]?["get"]?["operationId"]?.string == "tasks_read")
            #expect(paths["{task_href}"]?["patch"]?["operationId"]?.string == "tasks_cancel")
            #expect(paths["{task_href}"]?["delete"]?["operationId"]?.string == "tasks_delete")
            #expect(paths[taskGroupsPath]?["get"]?["operationId"]?.string == "task_groups_list")
            #expect(paths["{task_group_href}"]?["get"]?["operationId"]?.string == "task_groups_read")
            let parameters = paths[tasksPath]?["get"]?["parameters"]?.array?.compactMap { $0["name"]?.string } ?? []
            for name in ["state", "state__in", "name", "name__contains", "reserved_resources", "worker", "task_group"] {
                #expect(parameters.contains(name), "tasks_list documents \(name)")
            }
            #expect(document.json["components"]?["schemas"]?["TaskResponse"] != nil)
        }
    }
}

/// Resource names the tests reserve.
enum ServingName {
    static func fileRemote(_ id: UUID) -> ResourceName { .model(app: "file", model: "fileremote", id: id) }
}
