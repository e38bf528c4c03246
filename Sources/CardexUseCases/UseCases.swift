import CardexCore

/// Every use case of Cardex, over one store: what the RPC handlers call.
public struct UseCases: Sendable {
    /// Saving cards and pushing their updates.
    public let cards: Cards
    /// Sharing, forwarding, the inbox.
    public let shares: Shares
    /// Address books, mutual matching, exchange.
    public let books: Books
    /// Query-update by user id and delta sync.
    public let sync: CardSync
    /// Finding people by phone number.
    public let lookups: Lookups
    /// Reading the event log, for resuming event streams.
    public let events: Events

    /// Creates the use cases over `store`, keeping `cardHistoryLimit` earlier card versions per
    /// person, sharing under `sharing`, address books within `bookLimits`, delivering by `presence`.
    public init(store: UseCaseStore, cardHistoryLimit: Int, sharing: SharingPolicy, bookLimits: BookLimits, presence: any Presence) {
        cards = Cards(store: store, historyLimit: cardHistoryLimit)
        shares = Shares(store: store, policy: sharing, presence: presence)
        books = Books(store: store, limits: bookLimits, sharing: sharing, presence: presence)
        sync = CardSync(store: store)
        lookups = Lookups(store: store)
        events = Events(store: store)
    }
}
