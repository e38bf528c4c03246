/// Stored bytes that ``StoredCardCodec`` cannot read as a card. A backend reports it as an internal
/// error: stored cards are written by the codec alone, so this means a damaged row, or a row written
/// by a newer server (a field or value added to the storage schema) read by an older one.
public enum StoredCardError: Error, Hashable, CustomStringConvertible {
    /// The bytes are not a `cardex.storage.v1.Card` message at all (`reason` is the protobuf
    /// decoder's).
    case malformed(String)
    /// Field `field` (0-based) has kind `value`, unspecified (0) or one this server does not know.
    case unknownKind(field: Int, value: Int)
    /// Field `field` has no audience.
    case missingAudience(field: Int)
    /// The card (`field` nil) or one of its fields holds a protobuf field, or an audience case, this
    /// server does not know: reading on would drop it.
    case unknownContent(field: Int?)

    public var description: String {
        let problem =
            switch self {
            case .malformed(let reason): "the bytes are not a cardex.storage.v1.Card (\(reason))"
            case .unknownKind(let field, let value): "field \(field) has kind \(value), which this server does not know"
            case .missingAudience(let field): "field \(field) has no audience"
            case .unknownContent(nil): "the card holds data this server does not know"
            case .unknownContent(let field?): "field \(field) holds data this server does not know"
            }
        return "stored card unreadable: \(problem); the row is damaged or was written by a newer Cardex version"
    }
}
