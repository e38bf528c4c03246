import Foundation

/// Reading people's cards.
public protocol CardReading: AnyObject {
    /// Whether the account exists.
    func accountExists(_ user: UserID) async throws -> Bool

    /// The person's current card, or `nil` before the first save.
    func currentCard(of user: UserID) async throws -> StoredCard?

    /// The current cards of `users` (a query-update's items, a sync page), by owner; people
    /// without a card are absent. A default reads them one by one: a backend for which each
    /// read is a round trip reads them in one.
    func currentCards(of users: [UserID]) async throws -> [UserID: StoredCard]

    /// The person's earlier card versions still kept, newest first.
    func previousCards(of user: UserID) async throws -> [StoredCard]
}

extension CardReading {
    public func currentCards(of users: [UserID]) async throws -> [UserID: StoredCard] {
        var cards: [UserID: StoredCard] = [:]
        for user in users where cards[user] == nil {
            cards[user] = try await currentCard(of: user)
        }
        return cards
    }
}

/// Writing cards.
public protocol CardWriting: AnyObject {
    /// Makes `card` the person's current card, keeping the one it replaces as history, of which
    /// the `historyLimit` newest versions are kept.
    func saveCard(_ card: StoredCard, of user: UserID, historyLimit: Int) async throws

    /// Records numbers the person held (a phone field dropped from the card, an account number
    /// changed), for query-update's "the number changed" answers.
    func recordFormerPhones(_ phones: [String], of user: UserID, at time: Date) async throws
}
