/// Why ``PostgresStore/bulkSeed(_:of:now:limits:progress:)`` refused to seed.
public enum PostgresSeedingError: Error, Equatable, CustomStringConvertible {
    /// The database already has accounts: bulk seeding fills a new one.
    case databaseNotEmpty

    public var description: String {
        switch self {
        case .databaseNotEmpty: "the database already has accounts; bulk seeding fills a new, empty one"
        }
    }
}
