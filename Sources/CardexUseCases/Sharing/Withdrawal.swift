import CardexCore

/// Telling a recipient that a share is gone.
enum Withdrawal {
    /// Tells the recipient a share is gone: its inbox item, or the card it granted.
    static func withdraw(_ share: StoredShare, _ changes: Changes) async throws {
        guard let recipient = share.recipientUser else { return }
        switch share.state {
        case .delivered: try await changes.append(.inboxItemRemoved(itemID: share.id, reason: .withdrawn), to: recipient)
        case .accepted where share.entry == nil: try await changes.append(.accessRemoved(owner: share.owner), to: recipient)
        case .accepted: break  // a forwarded entry, once accepted, is the recipient's own
        case .waiting, .declined, .public: break
        }
    }
}
