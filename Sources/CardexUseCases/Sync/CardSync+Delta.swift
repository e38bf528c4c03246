import CardexCore

extension CardSync {
    /// The cards named by the reader's events after the token, each as the reader may see it now:
    /// changed when the reader holds the card and sees something of it (what a full sync lists),
    /// removed otherwise. Leaving a group or being
    /// removed names the cards the group showed (`member_left`); a deleted group asks for a full
    /// sync instead, since its members' cards were never listed.
    static func deltaSyncPage(
        for reader: UserID, since token: SyncToken, limit: Int, _ transaction: any ReadTransaction
    ) async throws -> SyncPage {
        let latest: UInt64
        do {
            latest = try await transaction.resumableLatestSeq(after: token.seq, of: reader)
        } catch is ResyncRequired {
            throw CardexError.failedPrecondition(
                "this sync token has expired (the changes since it are no longer kept): do a full sync (send no token)")
        }
        var owners: [UserID] = []
        var seen = Set<UserID>()
        var position = token.seq
        scanning: while position < latest {
            let events = try await transaction.events(of: reader, after: position, limit: eventsPerRead)
            guard !events.isEmpty else { break }
            for event in events {
                if case .membershipEnded(_, .groupDeleted) = event.payload {
                    // Every member lost sight of every other at once: too many changes to list.
                    throw CardexError.failedPrecondition(
                        "a group you were in was deleted since this sync token: do a full sync (send no token)")
                }
                if let owner = event.payload.cardOwner, !seen.contains(owner) {
                    guard owners.count < limit else { break scanning }
                    owners.append(owner)
                    seen.insert(owner)
                }
                position = event.seq
            }
        }
        var changed: [CardView] = []
        var removed: [UserID] = []
        for (view, held) in try await ReaderRelations(of: reader, in: transaction).heldViews(of: owners) {
            if held && !view.fields.isEmpty { changed.append(view) } else { removed.append(view.owner) }
        }
        return SyncPage(changed: changed, removed: removed, next: SyncToken(user: reader, seq: position), more: position < latest)
    }
}

extension EventPayload {
    /// The person whose card the event is about, for delta sync.
    var cardOwner: UserID? {
        switch self {
        case .cardUpdated(let view): view.owner
        case .accessRemoved(let owner): owner
        case .memberJoined(_, let entry): entry.member.user
        case .memberLeft(_, let user): user
        case .shareReceived, .shareAccepted, .inboxItemRemoved, .sharesWaiting, .invitationReceived, .groupJoined, .membershipEnded: nil
        }
    }
}
