import TandemORM

/// The tables and `pulp_type`s the plugins' models claim, and the conflicts between them.
struct ModelClaims {
    private var tables: [String: Claim] = [:]
    private var pulpTypes: [String: Claim] = [:]
    private var problems: [ApplicationProblem] = []

    /// Every table claimed twice and every `pulp_type` claimed twice under one master, naming
    /// both plugins and models. A detail claims the levels above it too; a model claimed again
    /// (listed twice, or the master of another plugin's detail) claims nothing new.
    static func problems(_ plugins: [any Plugin]) -> [ApplicationProblem] {
        var claims = ModelClaims()
        for plugin in plugins {
            for listed in plugin.models {
                for ancestor in (listed as? any DetailModel.Type)?.ancestors ?? [] {
                    claims.add(Claim(plugin: plugin.label, model: ancestor, child: listed))
                }
                claims.add(Claim(plugin: plugin.label, model: listed, child: nil))
            }
        }
        return claims.problems
    }

    private mutating func add(_ claim: Claim) {
        let model = claim.model
        if let first = tables[model.tableName] {
            if !first.isSameModel(as: claim) {
                problems.append(.tableTaken(table: model.tableName, first: "\(first)", second: "\(claim)"))
            }
        } else {
            tables[model.tableName] = claim
        }
        guard let member = model as? any InheritanceMember.Type else { return }
        let key = member.masterTableName + " " + member.pulpType
        if let first = pulpTypes[key] {
            if !first.isSameModel(as: claim) {
                problems.append(
                    .pulpTypeTaken(
                        pulpType: member.pulpType, master: member.masterTableName, first: "\(first)",
                        second: "\(claim)"))
            }
        } else {
            pulpTypes[key] = claim
        }
    }

    /// One model of one plugin: one it lists, or a level above one it lists (`child`).
    private struct Claim: CustomStringConvertible {
        let plugin: String
        let model: any Model.Type
        let child: (any Model.Type)?

        /// Whether both claims are for one Swift type.
        func isSameModel(as other: Claim) -> Bool {
            ObjectIdentifier(model) == ObjectIdentifier(other.model)
        }

        /// `plugin file (FileRemote)`, `plugin file (Remote, parent of FileRemote)`.
        var description: String { "plugin \(plugin) (\(model)" + (child.map { ", parent of \($0))" } ?? ")") }
    }
}

extension InheritanceMember {
    /// The master's table.
    fileprivate static var masterTableName: String { Master.tableName }
}

extension DetailModel {
    /// The levels above this one, the master first: their tables are claimed too, so that a
    /// master no plugin lists cannot take another model's table unnoticed.
    fileprivate static var ancestors: [any InheritanceMember.Type] {
        ((Parent.self as? any DetailModel.Type)?.ancestors ?? []) + [Parent.self]
    }
}
