import CardexCore

/// Every use case of Cardex, over one store: what the RPC handlers call.
public struct UseCases: Sendable {
    /// Saving cards and pushing their updates.
    public let cards: Cards
    /// Sharing, forwarding, the inbox.
    public let shares: Shares
    /// Address books, mutual matching, exchange.
    public let books: Books
    /// Groups, members, invitations.
    public let groups: Groups
    /// Registration, accounts, sessions.
    public let accounts: Accounts
    /// Query-update by user id and delta sync.
    public let sync: CardSync
    /// Finding people by phone number.
    public let lookups: Lookups
    /// Reading the event log, for resuming event streams.
    public let events: Events

    /// Creates the use cases over `store`, keeping `cardHistoryLimit` earlier card versions per
    /// person, sharing under `sharing`, address books within `bookLimits`, groups under `groups`,
    /// registration under `registration`, delivering by `presence`.
    public init(
        store: UseCaseStore, cardHistoryLimit: Int, sharing: SharingPolicy, bookLimits: BookLimits, groups: GroupPolicy,
        registration: RegistrationPolicy, presence: any Presence
    ) {
        cards = Cards(store: store, historyLimit: cardHistoryLimit)
        shares = Shares(store: store, policy: sharing, presence: presence)
        books = Books(store: store, limits: bookLimits, sharing: sharing, presence: presence)
        self.groups = Groups(store: store, policy: groups, sharing: sharing, presence: presence)
        accounts = Accounts(store: store, policy: registration)
        sync = CardSync(store: store)
        lookups = Lookups(store: store)
        events = Events(store: store)
    }
}
