import CardexCore

/// Mutual contacts (patent CN103248655A claim 6): the registered people whose number is in a
/// person's address book and whose book holds that person's number.
enum MutualMatching {
    /// Brings `user`'s mutual contacts up to date. Called when the book changes, when the user
    /// registers and when their number changes. A pair that becomes (or stops being) mutual gets
    /// each side's new view of the other's card.
    static func match(_ user: UserID, _ changes: Changes) async throws {
        let transaction = changes.transaction
        let matched = try await transaction.peopleWhoseBooksHoldEachOther(with: user)
        let current = Set(try await transaction.mutualContacts(of: user))
        for added in matched.subtracting(current) {
            try await transaction.addMutualContact(user, added, since: changes.now)
        }
        for removed in current.subtracting(matched) {
            try await transaction.removeMutualContact(user, removed)
        }
        var updates: [NewEvent] = []
        for other in matched.symmetricDifference(current) {
            for (reader, owner) in [(user, other), (other, user)] {
                updates.append(NewEvent(.cardUpdated(try await transaction.view(of: owner, for: reader)), to: reader))
            }
        }
        try await changes.append(updates)
    }
}
