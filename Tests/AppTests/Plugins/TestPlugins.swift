import Foundation
import TandemApp
import TandemMigrations
import TandemORM

/// A plugin put together by a test.
struct TestPlugin: Plugin {
    var label: String
    var name: String
    var version: SemanticVersion = "1.0.0"
    var models: [any Model.Type] = []
    var requires: [String: VersionRange] = [:]
    var migrationsDirectory: URL? = nil

    init(
        _ label: String, name: String? = nil, version: SemanticVersion = "1.0.0", models: [any Model.Type] = [],
        requires: [String: VersionRange] = [:], migrationsDirectory: URL? = nil
    ) {
        self.label = label
        self.name = name ?? "Test \(label)"
        self.version = version
        self.models = models
        self.requires = requires
        self.migrationsDirectory = migrationsDirectory
    }
}

/// A plain model of plugin `alpha`, table `shared_table`.
struct AlphaThing: Model {
    static let tableName = "shared_table"
    var pulpID: UUID
    enum CodingKeys: String, CodingKey { case pulpID = "pulp_id" }
}

/// A plain model of plugin `beta` claiming `alpha`'s table.
struct BetaThing: Model {
    static let tableName = "shared_table"
    var pulpID: UUID
    enum CodingKeys: String, CodingKey { case pulpID = "pulp_id" }
}

/// A remote of plugin `gamma`: pulp_type `gamma.remote`.
struct GammaRemote: DetailModel {
    static let tableName = "gamma_remote"
    static let appLabel = "gamma"
    static let typeName = "remote"
    var parent: Remote
}

/// A remote of plugin `delta` that takes `gamma`'s pulp_type (its app label says `gamma`).
struct DeltaRemote: DetailModel {
    static let tableName = "delta_remote"
    static let appLabel = "gamma"
    static let typeName = "remote"
    var parent: Remote
}

/// A detail of core's Repository with `gamma.remote` as its pulp_type: no conflict, another master.
struct GammaRepository: DetailModel {
    static let tableName = "gamma_repository"
    static let appLabel = "gamma"
    static let typeName = "remote"
    var parent: Repository
}

/// A master of its own that stores its rows in core's table, unlisted by any plugin.
struct ShadowRemote: MasterModel {
    static let tableName = "core_remote"
    static let appLabel = "shadow"
    static let typeName = "remote"
    var pulpID: UUID
    var pulpType: String
    enum CodingKeys: String, CodingKey { case pulpID = "pulp_id", pulpType = "pulp_type" }
}

/// A detail of ``ShadowRemote``, listed by plugin `shadow`.
struct ShadowDetail: DetailModel {
    static let tableName = "shadow_detail"
    static let appLabel = "shadow"
    static let typeName = "detail"
    var parent: ShadowRemote
}
