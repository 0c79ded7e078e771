import Foundation
import TandemApp
import TandemMigrations
import TandemORM
import Testing

/// Assembles an application that must be refused (a test issue when it is not), returning its problems.
private func problems(_ plugins: [any Plugin]) -> [ApplicationProblem] {
    let error = #expect(throws: ApplicationError.self) { _ = try Application(plugins: plugins) }
    return error?.problems ?? []
}

@Suite("Application: plugins that do not fit together are refused, naming both sides")
struct ApplicationConflictTests {
    @Test("core and a plugin that requires it assemble; versions and detail models are registered")
    func fits() throws {
        let gamma = TestPlugin(
            "gamma", version: "2.3.4", models: [GammaRemote.self], requires: ["core": .compatible(with: "1.0.0")])
        let application = try Application(plugins: [CorePlugin(), gamma])
        #expect(application.componentVersions == ["core": "1.0.0", "gamma": "2.3.4"])
        #expect(application.plugins.map { $0.label } == ["core", "gamma"])
        #expect(application.plugin("gamma")?.version == "2.3.4")
        #expect(application.plugin("nope") == nil)
        #expect(application.models.detailType(of: Remote.self, pulpType: "gamma.remote") == GammaRemote.self)
        #expect(ModelRegistry.shared.detailType(of: Remote.self, pulpType: "gamma.remote") == nil)
        let registration = application.registration(kind: "api")
        #expect(registration.kind == "api")
        #expect(registration.versions == ["core": "1.0.0", "gamma": "2.3.4"])
    }

    @Test("two plugins with one label: both named")
    func duplicateLabel() {
        let found = problems([CorePlugin(), TestPlugin("core", name: "Impostor", version: "9.0.0")])
        #expect(
            found == [
                .duplicateLabel(
                    label: "core", first: "Tandem core 1.0.0 (CorePlugin)", second: "Impostor 9.0.0 (TestPlugin)")
            ])
        #expect(
            "\(found[0])"
                == "label 'core' is used by two plugins: Tandem core 1.0.0 (CorePlugin) and Impostor 9.0.0 (TestPlugin)"
        )
    }

    @Test("a label that cannot name a migrations component", arguments: ["", "File", "2file", "file-plugin", "a b"])
    func invalidLabel(_ label: String) {
        #expect(problems([TestPlugin(label, name: "Odd")]) == [.invalidLabel(label: label, plugin: "Odd 1.0.0")])
    }

    @Test("a required plugin that is not loaded")
    func missingRequirement() {
        let found = problems([TestPlugin("gamma", requires: ["core": .compatible(with: "1.0.0")])])
        #expect(
            found == [
                .missingRequirement(
                    plugin: "gamma (Test gamma 1.0.0)", requires: "core", range: .compatible(with: "1.0.0"))
            ])
        #expect(
            "\(found[0])"
                == "plugin gamma (Test gamma 1.0.0) requires plugin 'core' (>=1.0.0, <2.0.0), which the application does not load"
        )
    }

    @Test(
        "a required plugin outside the range, below or above",
        arguments: [
            VersionRange("2.0.0"...), VersionRange("0.1.0"..<"1.0.0"), .compatible(with: "1.0.1"),
            VersionRange(minimum: "1.0.0", upperBound: .below("1.0.0")), VersionRange(..."0.9.9"),
        ])
    func versionOutOfRange(_ range: VersionRange) {
        let found = problems([CorePlugin(), TestPlugin("gamma", requires: ["core": range])])
        #expect(
            found == [
                .versionOutOfRange(plugin: "gamma (Test gamma 1.0.0)", requires: "core", range: range, found: "1.0.0")
            ])
        #expect("\(found[0])".contains("but the application loads core 1.0.0"))
    }

    @Test("two plugins registering one table: both plugins and models named")
    func tableTaken() {
        let found = problems([
            TestPlugin("alpha", models: [AlphaThing.self]), TestPlugin("beta", models: [BetaThing.self]),
        ])
        #expect(
            found == [
                .tableTaken(
                    table: "shared_table", first: "plugin alpha (AlphaThing)", second: "plugin beta (BetaThing)")
            ])
        #expect(
            "\(found[0])"
                == "table shared_table is registered twice: by plugin alpha (AlphaThing) and by plugin beta (BetaThing)"
        )
    }

    @Test("a plugin taking a core master's table")
    func coreTableTaken() {
        let found = problems([CorePlugin(), TestPlugin("shadow", models: [ShadowRemote.self])])
        #expect(found.count == 1)
        #expect(
            "\(found.first.map(String.init(describing:)) ?? "")"
                == "table core_remote is registered twice: by plugin core (Remote) and by plugin shadow (ShadowRemote)")
    }

    @Test("a detail whose unlisted master takes a listed model's table")
    func unlistedMasterConflict() {
        let found = problems([CorePlugin(), TestPlugin("shadow", models: [ShadowDetail.self])])
        #expect(
            found == [
                .tableTaken(
                    table: "core_remote", first: "plugin core (Remote)",
                    second: "plugin shadow (ShadowRemote, parent of ShadowDetail)")
            ])
    }

    @Test("two plugins registering one pulp_type under one master: both named")
    func pulpTypeTaken() {
        let found = problems([
            CorePlugin(), TestPlugin("gamma", models: [GammaRemote.self]),
            TestPlugin("delta", models: [DeltaRemote.self]),
        ])
        #expect(
            found == [
                .pulpTypeTaken(
                    pulpType: "gamma.remote", master: "core_remote", first: "plugin gamma (GammaRemote)",
                    second: "plugin delta (DeltaRemote)")
            ])
        #expect(
            "\(found[0])"
                == "pulp_type gamma.remote of master core_remote is registered twice: by plugin gamma (GammaRemote) and by plugin delta (DeltaRemote)"
        )
    }

    @Test("one pulp_type under two masters is no conflict, and a model listed twice claims nothing new")
    func samePulpTypeOtherMaster() throws {
        let application = try Application(plugins: [
            CorePlugin(), TestPlugin("gamma", models: [GammaRemote.self, GammaRepository.self, GammaRemote.self]),
        ])
        #expect(application.models.detailType(of: Repository.self, pulpType: "gamma.remote") == GammaRepository.self)
    }

    @Test("a migrations folder without the plugin's component folder")
    func missingMigrations() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-no-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let found = problems([TestPlugin("gamma", migrationsDirectory: folder)])
        #expect(
            found == [
                .missingMigrations(
                    plugin: "gamma (Test gamma 1.0.0)", folder: folder.appendingPathComponent("gamma").path)
            ])
    }

    @Test("every problem is reported at once, in one error")
    func severalAtOnce() {
        let error = #expect(throws: ApplicationError.self) {
            _ = try Application(plugins: [
                TestPlugin("alpha", models: [AlphaThing.self], requires: ["core": .any]),
                TestPlugin("alpha", models: [BetaThing.self]),
            ])
        }
        #expect(error?.problems.count == 3)
        let message = error?.description ?? ""
        #expect(message.hasPrefix("the application's plugins do not fit together:\n  - label 'alpha'"))
        #expect(message.contains("requires plugin 'core' (any)"))
        #expect(message.contains("table shared_table is registered twice"))
    }
}
