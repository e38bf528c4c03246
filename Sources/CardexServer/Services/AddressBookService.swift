import CardexCore
import CardexProto
import FramedRPC

/// The cloud address book: entries kept per person, and the exchange of cards when a number is
/// added while "auto-send my card" is on.
struct AddressBookService: Cardex_V1_AddressBookService.ServiceProtocol {
    let environment: ServiceEnvironment

    func updateBook(request: Cardex_V1_UpdateBookRequest, context: ServerContext) async throws -> Cardex_V1_UpdateBookResponse {
        let caller = try context.caller()
        let limits = environment.books.limits
        let changes = request.upserts.count + request.removals.count
        guard changes <= limits.maxChangesPerCall else {
            throw CardexError.invalidArgument("an update makes at most \(limits.maxChangesPerCall) changes; this one makes \(changes): split it")
        }
        let upserts = try request.upserts.map { entry in
            try environment.books.validate(
                BookEntry(clientEntryID: entry.clientEntryID, name: entry.name, phones: entry.phones, emails: entry.emails))
        }
        let update = try await environment.store.updateBook(
            of: caller.userID, upserts: upserts, removals: request.removals, limits: limits, presence: environment.presence,
            sharing: environment.sharing, now: environment.clock.now())
        if !update.cardSentTo.isEmpty { environment.outboxChanged() }
        return .with {
            $0.added = UInt32(update.added)
            $0.changed = UInt32(update.changed)
            $0.unchanged = UInt32(update.unchanged)
            $0.removed = UInt32(update.removed)
            $0.cardSentTo = update.cardSentTo.map(\.e164)
        }
    }
}
