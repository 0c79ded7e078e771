import Synchronization

/// The detail types an application knows, by master and `pulp_type`: what
/// ``MasterModel/cast(on:registry:)`` turns master rows into. Plugins register their detail types
/// when they load. A `pulp_type` is unique within one master only (pulp_file's `FileRemote` and
/// `FileRepository` are both `file.file`), and a table belongs to one model.
///
/// ```swift
/// try ModelRegistry.shared.register(FileRemote.self)
/// ```
public final class ModelRegistry: Sendable {
    /// The registry used when none is given.
    public static let shared = ModelRegistry()

    private struct Key: Hashable {
        let masterTable: String
        let pulpType: String
    }

    private struct Entries {
        var byPulpType: [Key: any DetailModel.Type] = [:]
        /// Each table a registered type or its master stores rows in, with that type.
        var byTable: [String: any InheritanceMember.Type] = [:]
    }

    private let entries = Mutex(Entries())

    /// An empty registry.
    public init() {}

    /// Registers a detail type under its master and `pulp_type`; registering a type again does
    /// nothing.
    /// - Throws: ``ModelRegistryError`` naming both types when another type holds the same master
    ///   and `pulp_type`, or claims a table of its chain (its own, its master's or one between),
    ///   or naming the type when the ORM cannot use it (``ModelDefinitionError``); nothing is
    ///   registered then.
    public func register<Detail: DetailModel>(_ type: Detail.Type) throws(ModelRegistryError) {
        let key = Key(masterTable: Detail.Master.tableName, pulpType: Detail.pulpType)
        do {
            _ = try TableChain.of(Detail.self)
        } catch {
            throw .invalidDefinition(error)
        }
        try entries.withLock { (entries: inout Entries) throws(ModelRegistryError) in
            if let existing = entries.byPulpType[key] {
                if existing == type { return }
                throw .pulpTypeTaken(
                    pulpType: Detail.pulpType, master: "\(Detail.Master.self)", registered: "\(existing)",
                    refused: "\(type)")
            }
            // A row of an ancestor's own type would be cast to this one, whose table has no row.
            if let ancestor = Self.ancestors(of: Detail.self).first(where: { pulpType(of: $0) == Detail.pulpType }) {
                throw .pulpTypeTaken(
                    pulpType: Detail.pulpType, master: "\(Detail.Master.self)", registered: "\(ancestor)",
                    refused: "\(type)")
            }
            // Every level's table, the master's first: a table between the master and this type
            // that another type claimed would make `cast()` pick that type for rows of this one's
            // parent.
            let levels: [any InheritanceMember.Type] = Self.ancestors(of: Detail.self).reversed() + [Detail.self]
            let claims = levels.map { (table: $0.tableName, type: $0) }
            var claimedHere: [String: any InheritanceMember.Type] = [:]
            for claim in claims {
                if let owner = entries.byTable[claim.table] ?? claimedHere[claim.table],
                    ObjectIdentifier(owner) != ObjectIdentifier(claim.type)
                {
                    throw .tableTaken(table: claim.table, registered: "\(owner)", refused: "\(claim.type)")
                }
                claimedHere[claim.table] = claim.type
            }
            entries.byPulpType[key] = type
            for claim in claims { entries.byTable[claim.table] = claim.type }
        }
    }

    /// The types `type` extends, its parent first and its master last.
    private static func ancestors<Detail: DetailModel>(of type: Detail.Type) -> [any InheritanceMember.Type] {
        guard let parent = Detail.Parent.self as? any DetailModel.Type else { return [Detail.Parent.self] }
        return [parent] + ancestors(of: parent)
    }

    /// The detail type registered for a master and a `pulp_type`, if any.
    public func detailType<Master: MasterModel>(of master: Master.Type, pulpType: String) -> (any DetailModel.Type)? {
        entries.withLock { $0.byPulpType[Key(masterTable: master.tableName, pulpType: pulpType)] }
    }

    /// Every detail type registered under a master, at any depth.
    public func detailTypes<Master: MasterModel>(of master: Master.Type) -> [any DetailModel.Type] {
        entries.withLock { entries in entries.byPulpType.filter { $0.key.masterTable == master.tableName }.map(\.value)
        }
    }
}

/// Why ``ModelRegistry/register(_:)`` refused a type: a plugin loaded by mistake, or two plugins
/// that collide. The message names both types.
public enum ModelRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another type is registered under the same master and `pulp_type`.
    case pulpTypeTaken(pulpType: String, master: String, registered: String, refused: String)
    /// Another type stores its rows in the same table.
    case tableTaken(table: String, registered: String, refused: String)
    /// The ORM cannot read or write the type; the error says why.
    case invalidDefinition(ModelDefinitionError)

    /// A message naming both types.
    public var description: String {
        switch self {
        case .pulpTypeTaken(let pulpType, let master, let registered, let refused):
            "cannot register \(refused): pulp_type \(pulpType) of \(master) is already registered to \(registered)"
        case .tableTaken(let table, let registered, let refused):
            "cannot register \(refused): table \(table) already belongs to \(registered)"
        case .invalidDefinition(let error):
            "cannot register: \(error)"
        }
    }
}

/// The `pulp_type` of a member type known only at run time.
private func pulpType<Member: InheritanceMember>(of type: Member.Type) -> String { Member.pulpType }
