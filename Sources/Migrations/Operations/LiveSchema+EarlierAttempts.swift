import TandemSchema

/// What holds, on the table an index or constraint operation changes, the name the operation
/// gives its object: nothing, or the object of an earlier attempt of the same step.
enum EarlierAttempt: Sendable, Hashable {
    /// The name is free: build the object.
    case none
    /// An object of the same definition holds the name, valid: adopt it, build nothing.
    case finished
    /// An object of the same definition holds the name, not valid (an INVALID index, a NOT VALID
    /// constraint): a run was interrupted during its build or validation.
    case unfinished
}

extension LiveSchema {
    /// The name `create_index` gives `index` on `table`, and what holds it now.
    ///
    /// The name is deterministic: the given one, or the default name chosen as if no index of the
    /// same definition existed on the table, so that the rerun of an interrupted migration finds
    /// its earlier attempt's index under that name instead of taking "the next free name".
    ///
    /// - Throws: ``OperationError`` when another object holds the name: an index of another
    ///   definition, another table's index or constraint, a table.
    func indexTarget(_ index: Index, on table: String, for operation: String) throws(OperationError)
        -> (name: String, earlier: EarlierAttempt)
    {
        let current = try self.table(table, for: operation).normalized
        let definition = Self.unnamed(index)
        var stripped = schema
        stripped.replace(table) { $0.indexes.removeAll { Self.unnamed($0) == definition } }
        let name = Operation.createIndex(table: table, index).addedName(in: stripped)!
        guard let existing = current.indexes.first(where: { $0.name == name }), Self.unnamed(existing) == definition
        else {
            try checkIndexName(free: name, for: operation, on: table)
            return (name, .none)
        }
        return (name, invalidIndexes.contains(name) ? .unfinished : .finished)
    }

    /// The name `add_foreign_key` or `add_check` (`operation`) gives its constraint, and what
    /// holds it now; chosen like ``indexTarget(_:on:for:)``'s.
    ///
    /// - Throws: ``OperationError`` when a constraint or index of another definition holds the name.
    func constraintTarget(of operation: Operation) throws(OperationError) -> (name: String, earlier: EarlierAttempt) {
        guard let tableName = operation.table else { preconditionFailure("a constraint belongs to a table") }
        let current = try table(tableName, for: operation.name).normalized
        var stripped = schema
        let matches: (Table) -> [String]
        switch operation {
        case .addForeignKey(_, let key):
            let definition = Self.unnamed(key)
            stripped.replace(tableName) { $0.foreignKeys.removeAll { Self.unnamed($0) == definition } }
            matches = { $0.foreignKeys.filter { Self.unnamed($0) == definition }.compactMap(\.name) }
        case .addCheck(_, let check):
            let definition = check.expression
            stripped.replace(tableName) { $0.checkConstraints.removeAll { $0.expression == definition } }
            matches = { $0.checkConstraints.filter { $0.expression == definition }.compactMap(\.name) }
        default:
            preconditionFailure("only add_foreign_key and add_check add a validated constraint")
        }
        let name = operation.addedName(in: stripped)!
        if matches(current).contains(name) {
            return (name, unvalidatedConstraints[tableName]?.contains(name) == true ? .unfinished : .finished)
        }
        let taken =
            current.foreignKeys.compactMap(\.name) + current.checkConstraints.compactMap(\.name)
            + current.uniqueConstraints.compactMap(\.name) + current.indexes.compactMap(\.name)
        if taken.contains(name) {
            throw OperationError(
                "\(operation.name) on \(tableName): the constraint name \(name) is taken by another constraint or index "
                    + "of the table with another definition; give the constraint another name (`name:`), "
                    + "or drop the other object first")
        }
        return (name, .none)
    }

    /// What `set_not_null` finds of its proving check `name` (`column IS NOT NULL`) on `table`.
    ///
    /// - Throws: ``OperationError`` when a check of another definition has the name.
    func notNullCheck(_ check: CheckConstraint, on table: String) throws(OperationError) -> EarlierAttempt {
        let current = try self.table(table, for: "set_not_null").normalized
        guard let name = check.name, let existing = current.checkConstraints.first(where: { $0.name == name }) else {
            return .none
        }
        guard existing.expression == check.expression else {
            throw OperationError(
                "set_not_null on \(table): the check \(name), which set_not_null uses to prove the column, exists "
                    + "with another expression (\(existing.expression.sql)); drop or rename it first")
        }
        return unvalidatedConstraints[table]?.contains(name) == true ? .unfinished : .finished
    }

    private static func unnamed(_ index: Index) -> Index {
        var index = index
        index.name = nil
        return index
    }

    private static func unnamed(_ key: ForeignKey) -> ForeignKey {
        var key = key
        key.name = nil
        return key
    }
}

extension Schema {
    /// Changes the table named `name`, if any, in place.
    fileprivate mutating func replace(_ name: String, _ change: (inout Table) -> Void) {
        guard let position = tables.firstIndex(where: { $0.name == name }) else { return }
        change(&tables[position])
    }
}
