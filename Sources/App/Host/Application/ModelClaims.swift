import TandemORM

/// The tables and `pulp_type`s the plugins' models claim, and the conflicts between them.
enum ModelClaims {
    /// Every table claimed twice and every `pulp_type` claimed twice under one master, naming
    /// both plugins and models. A model listed twice (or a master listed by its detail's plugin
    /// too) claims nothing new.
    static func problems(_ plugins: [any Plugin]) -> [ApplicationProblem] {
        var tables: [String: Claim] = [:]
        var pulpTypes: [String: Claim] = [:]
        var problems: [ApplicationProblem] = []
        for plugin in plugins {
            for model in plugin.models {
                let claim = Claim(plugin: plugin.label, model: model)
                if let first = tables[model.tableName], ObjectIdentifier(first.model) != ObjectIdentifier(model) {
                    problems.append(.tableTaken(table: model.tableName, first: "\(first)", second: "\(claim)"))
                } else {
                    tables[model.tableName] = claim
                }
                guard let member = model as? any InheritanceMember.Type else { continue }
                let key = member.masterTableName + " " + member.pulpType
                if let first = pulpTypes[key], ObjectIdentifier(first.model) != ObjectIdentifier(model) {
                    problems.append(
                        .pulpTypeTaken(
                            pulpType: member.pulpType, master: member.masterTableName, first: "\(first)",
                            second: "\(claim)"))
                } else {
                    pulpTypes[key] = claim
                }
            }
        }
        return problems
    }

    /// One model of one plugin.
    private struct Claim: CustomStringConvertible {
        let plugin: String
        let model: any Model.Type

        /// `plugin file (FileRemote)`.
        var description: String { "plugin \(plugin) (\(model))" }
    }
}

extension InheritanceMember {
    /// The master's table.
    fileprivate static var masterTableName: String { Master.tableName }
}
