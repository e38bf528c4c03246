/// A PostgreSQL store's answer that breaks what the schema guarantees.
enum PostgresStoreError: Error, CustomStringConvertible {
    /// A statement that always returns a row returned none.
    case noRowReturned(String)

    var description: String {
        switch self {
        case .noRowReturned(let call): "\(call): the statement returned no row"
        }
    }
}
