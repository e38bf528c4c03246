import Foundation

/// Reading people's cards.
public protocol CardReading: AnyObject {
    /// Whether the account exists.
    func accountExists(_ user: UserID) async throws -> Bool

    /// The person's current card, or `nil` before the first save.
    func currentCard(of user: UserID) async throws -> StoredCard?

    /// The person's earlier card versions still kept, newest first.
    func previousCards(of user: UserID) async throws -> [StoredCard]
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
