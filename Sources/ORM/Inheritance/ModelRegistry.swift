import Synchronization

/// The detail types an application knows, by master and `pulp_type`: what
/// ``MasterModel/cast(on:registry:)`` turns master rows into. Plugins register their detail types
/// when they load. A `pulp_type` is unique within one master only (pulp_file's `FileRemote` and
/// `FileRepository` are both `file.file`).
///
/// ```swift
/// ModelRegistry.shared.register(FileRemote.self)
/// ```
public final class ModelRegistry: Sendable {
    /// The registry used when none is given.
    public static let shared = ModelRegistry()

    private let types = Mutex<[String: any DetailModel.Type]>([:])

    /// An empty registry.
    public init() {}

    /// Registers a detail type under its master and `pulp_type`. Registering two types under one
    /// master and `pulp_type` is a programming error.
    public func register<Detail: DetailModel>(_ type: Detail.Type) {
        let key = Self.key(Detail.Master.self, Detail.pulpType)
        types.withLock { types in
            if let existing = types[key] {
                precondition(existing == type, "pulp_type \(Detail.pulpType) of \(Detail.Master.self) is taken by \(existing)")
            }
            types[key] = type
        }
    }

    /// The detail type registered for a master and a `pulp_type`, if any.
    public func detailType<Master: MasterModel>(of master: Master.Type, pulpType: String) -> (any DetailModel.Type)? {
        types.withLock { $0[Self.key(master, pulpType)] }
    }

    private static func key(_ master: any MasterModel.Type, _ pulpType: String) -> String {
        master.tableName + " " + pulpType
    }
}
