/// The database's applied migrations do not fit this build's list.
public enum PostgresMigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database has migrations this build does not know: a newer Cardex migrated it.
    case unknownMigrations([String])
    /// A migration is applied while an earlier one of the list is not: the list was edited.
    case outOfOrder(applied: String, missing: String)

    /// What is wrong and what to do.
    public var description: String {
        switch self {
        case .unknownMigrations(let ids):
            "the database has migrations this build does not know (\(ids.joined(separator: ", "))): "
                + "a newer Cardex migrated it; run that version or a newer one"
        case .outOfOrder(let applied, let missing):
            "migration \(applied) is applied but the earlier \(missing) is not: migrations are append-only, "
                + "an edited list cannot migrate this database"
        }
    }
}
