import CardexCore
import Foundation

/// Saving a card, and telling those who hold it what they see now.
public struct Cards: Sendable {
    let store: UseCaseStore
    /// Earlier versions kept per person.
    let historyLimit: Int

    /// Creates the use cases over `store`, keeping `historyLimit` earlier versions per person.
    public init(store: UseCaseStore, historyLimit: Int) {
        self.store = store
        self.historyLimit = historyLimit
    }

    /// Saves `card` as the person's next version, keeping the current one as history. An
    /// identical card makes no new version. Everyone whose view of the card changed receives a
    /// `card_updated` event in the same transaction.
    /// - Parameter ifMatch: when set, save only if the current etag is this one.
    /// - Throws: ``CardexError/failedPrecondition(_:)`` when `ifMatch` differs from the stored etag;
    ///   ``CardexError/notFound(_:)`` when the account no longer exists.
    public func save(_ card: Card, of user: UserID, ifMatch: String?, now: Date) async throws -> (StoredCard, changed: Bool) {
        let historyLimit = historyLimit
        return try await store.write(now: now) { changes in
            let transaction = changes.transaction
            guard try await transaction.accountExists(user) else {
                throw CardexError.notFound("the account no longer exists")
            }
            let current = try await transaction.currentCard(of: user)
            if let ifMatch, ifMatch != current?.etag {
                throw CardexError.failedPrecondition(
                    "the card changed since etag \(ifMatch) was read (it is now \(current?.etag ?? "empty")): read it again and reapply the change")
            }
            let etag = ETag.ofCard(card)
            if let current, current.etag == etag { return (current, changed: false) }

            // Timestamps only move forward, even if the clock steps back.
            let updatedAt = max(now, current.map { $0.updatedAt.addingTimeInterval(0.001) } ?? now)
            let saved = StoredCard(card: card, version: (current?.version ?? 0) + 1, etag: etag, updatedAt: updatedAt)
            if let current {
                let kept = Set(card.fields.filter { $0.kind == .phone }.map(\.value))
                let dropped = current.card.fields.filter { $0.kind == .phone && !kept.contains($0.value) }.map(\.value)
                try await transaction.recordFormerPhones(dropped, of: user, at: now)
            }
            try await transaction.saveCard(saved, of: user, historyLimit: historyLimit)
            try await pushUpdate(of: user, from: current, to: saved, changes)
            return (saved, changed: true)
        }
    }

    /// Tells every holder of an accepted share, mutual contact, and group member who sees the
    /// owner, whose view of the card changed, the new view (patent CN103067478A steps 605–608):
    /// online devices receive it at once, the others when they resume.
    private func pushUpdate(of owner: UserID, from old: StoredCard?, to new: StoredCard, _ changes: Changes) async throws {
        let transaction = changes.transaction
        let grants = try await transaction.cardGrants(of: owner, to: nil)
        let everyone = FieldSelection.union(of: grants.filter { $0.holder == nil }.map(\.fields))
        var granted: [UserID: FieldSelection] = [:]
        for grant in grants {
            guard let holder = grant.holder else { continue }
            granted[holder] = .union(of: [granted[holder] ?? everyone, grant.fields].compactMap { $0 })
        }
        var groups: [UserID: Set<String>] = [:]
        for pair in try await transaction.groupPairs(of: owner, reader: nil) where pair.other.sees(pair.owner) {
            groups[pair.other.user, default: []].insert(pair.groupID)
        }
        let contacts = Set(try await transaction.mutualContacts(of: owner))
        var updates: [NewEvent] = []
        for holder in Set(granted.keys).union(groups.keys).union(contacts).sorted(by: { $0.rawValue < $1.rawValue }) {
            let relation = Relation(
                reader: holder, isContact: contacts.contains(holder), commonGroups: groups[holder] ?? [],
                granted: granted[holder] ?? everyone)
            let view = CardView(owner: owner, card: new, relation: relation)
            guard view.etag != CardView(owner: owner, card: old, relation: relation).etag else { continue }
            updates.append(NewEvent(.cardUpdated(view), to: holder))
        }
        try await changes.append(updates)
    }
}
