/// A step of ``PostgresStore/bulkSeed(_:of:now:limits:progress:)`` done.
public enum PostgresBulkSeedProgress: Sendable, Equatable {
    /// The rows of the first `accounts` accounts (in id order) are copied into `table`.
    case copied(table: String, accounts: Int)
    /// The indexes and foreign keys are made again and the transaction committed.
    case indexed
    /// `VACUUM (ANALYZE)` ran on the seeded tables.
    case vacuumed
}
