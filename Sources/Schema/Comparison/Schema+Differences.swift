extension Schema {
    /// The changes that turn `old` into this schema, table by table in name order; empty exactly
    /// when the schemas are equal.
    public func differences(from old: Schema) -> [SchemaDifference] {
        let oldTables = Dictionary(old.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newTables = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(oldTables.keys).union(newTables.keys).sorted().flatMap { name -> [SchemaDifference] in
            switch (oldTables[name], newTables[name]) {
            case (nil, let new?): [.addedTable(new)]
            case (let old?, nil): [.removedTable(old)]
            case (let old?, let new?): new.differences(from: old)
            case (nil, nil): []
            }
        }
    }
}

extension Table {
    /// The changes that turn `old` into this table; empty exactly when the tables are equal
    /// (a change of name shows as a changed primary key at most: compare tables of one name).
    public func differences(from old: Table) -> [SchemaDifference] {
        let new = normalized, old = old.normalized
        var differences: [SchemaDifference] = []
        let oldColumns = Dictionary(old.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newColumns = Dictionary(new.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for column in old.columns where newColumns[column.name] == nil {
            differences.append(.removedColumn(table: name, column))
        }
        for column in new.columns {
            guard let oldColumn = oldColumns[column.name] else {
                differences.append(.addedColumn(table: name, column))
                continue
            }
            if oldColumn != column { differences.append(.changedColumn(table: name, from: oldColumn, to: column)) }
        }
        let oldOrder = old.columns.map(\.name).filter { newColumns[$0] != nil }
        let newOrder = new.columns.map(\.name).filter { oldColumns[$0] != nil }
        if oldOrder != newOrder { differences.append(.reorderedColumns(table: name, from: oldOrder, to: newOrder)) }
        if old.primaryKey != new.primaryKey {
            differences.append(.changedPrimaryKey(table: name, from: old.primaryKey, to: new.primaryKey))
        }
        differences += Self.compare(old.constraints, new.constraints, name: \.name) {
            switch $0 {
            case .added(let constraint): .addedConstraint(table: name, constraint)
            case .removed(let constraint): .removedConstraint(table: name, constraint)
            case .changed(let from, let to): .changedConstraint(table: name, from: from, to: to)
            }
        }
        differences += Self.compare(old.indexes, new.indexes, name: \.name) {
            switch $0 {
            case .added(let index): .addedIndex(table: name, index)
            case .removed(let index): .removedIndex(table: name, index)
            case .changed(let from, let to): .changedIndex(table: name, from: from, to: to)
            }
        }
        return differences
    }

    private enum Change<Element> {
        case added(Element), removed(Element), changed(Element, Element)
    }

    /// Pairs elements by name: removed ones, then added or changed ones, each in name order.
    private static func compare<Element: Equatable>(
        _ old: [Element], _ new: [Element], name: (Element) -> String?, as difference: (Change<Element>) -> SchemaDifference
    ) -> [SchemaDifference] {
        let oldByName = Dictionary(old.map { (name($0) ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let newByName = Dictionary(new.map { (name($0) ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        var result = old.filter { newByName[name($0) ?? ""] == nil }.map { difference(.removed($0)) }
        for element in new {
            guard let oldElement = oldByName[name(element) ?? ""] else {
                result.append(difference(.added(element)))
                continue
            }
            if oldElement != element { result.append(difference(.changed(oldElement, element))) }
        }
        return result
    }
}
