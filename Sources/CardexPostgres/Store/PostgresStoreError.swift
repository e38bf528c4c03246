/// A PostgreSQL store's answer that breaks what the schema guarantees.
enum PostgresStoreError: Error, CustomStringConvertible {
    /// A statement that always returns a row returned none.
    case noRowReturned(String)
    /// A `lookup_paid` batch whose length is no whole number of digests.
    case malformedPaidBatch(bytes: Int)

    var description: String {
        switch self {
        case .noRowReturned(let call): "\(call): the statement returned no row"
        case .malformedPaidBatch(let bytes): "a lookup_paid batch of \(bytes) bytes is no whole number of digests"
        }
    }
}
