import CardexCore

/// Delivering the shares that waited for a person: for their number to register (or an account
/// to move to it), or for their cloud address book to be turned on.
enum WaitingShares {
    /// Gives the shares that waited for `account`'s number to the account and, when its cloud
    /// address book is on, delivers every share waiting for it into the inbox.
    static func deliver(to account: Account, _ changes: Changes) async throws {
        let transaction = changes.transaction
        try await transaction.claimWaitingShares(to: account.phone, for: account.userID)
        guard account.settings.cloudAddressBook else { return }
        for var share in try await transaction.shares(to: account.userID, in: .waiting) {
            share.state = .delivered
            share.deliveredAt = changes.now
            try await transaction.updateShare(share)
            try await changes.append(.shareReceived(try await transaction.inboxEntry(for: share)), to: account.userID)
        }
    }
}
