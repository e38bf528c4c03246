import CardexCore
import Foundation

/// The bytes a card is stored as in `cards.content` and `card_history.content` (`BYTEA`).
///
/// TO BE REPLACED by CardexStorage's protobuf codec (branch h-cards) when it lands on main: the
/// schema says these columns hold the card's protobuf bytes. Until then they hold the card's JSON
/// (``StoredJSON``'s configuration), behind this one type so that the swap touches nothing else.
enum CardBytes {
    static func encode(_ card: Card) throws -> Data {
        Data(try StoredJSON.encode(card).utf8)
    }

    static func decode(_ bytes: Data) throws -> Card {
        try StoredJSON.decode(Card.self, from: String(decoding: bytes, as: UTF8.self))
    }
}
