import CardexCore

/// Every use case of Cardex, over one store: what the RPC handlers call.
public struct UseCases: Sendable {
    /// Saving cards and pushing their updates.
    public let cards: Cards

    /// Creates the use cases over `store`, keeping `cardHistoryLimit` earlier card versions per person.
    public init(store: UseCaseStore, cardHistoryLimit: Int) {
        cards = Cards(store: store, historyLimit: cardHistoryLimit)
    }
}
