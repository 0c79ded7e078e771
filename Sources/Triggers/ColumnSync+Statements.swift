import TandemDatabase

extension ColumnSync {
    /// The statements that install the triggers (and on PostgreSQL their function), for
    /// migration plans and for ``TandemDatabase/Connection/installColumnSync(_:)``.
    ///
    /// They replace an installation of the same pair, so running them twice is harmless. The
    /// defaults in ``oldDefault`` and ``newDefault`` are used as they are: resolve them first
    /// with ``resolved(in:)``.
    public func statements(for dialect: Dialect) -> [String] {
        switch dialect {
        case .postgres: PostgresSyncCode(sync: self).installation
        case .sqlite: SQLiteSyncCode(sync: self).installation
        }
    }

    /// The statements that drop the triggers and function, leaving the table and its rows as
    /// they are. Running them when nothing is installed is harmless.
    public func removalStatements(for dialect: Dialect) -> [String] {
        switch dialect {
        case .postgres: PostgresSyncCode(sync: self).removal
        case .sqlite: SQLiteSyncCode(sync: self).removal
        }
    }
}
