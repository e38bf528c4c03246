import CardexCore
import CardexProto
import FramedRPC

/// The cloud address book: entries kept per person (upload as a delta or a full replace, batch or
/// streamed; download paged), and the exchange of cards when a number is added while "auto-send
/// my card" is on.
struct AddressBookService: Cardex_V1_AddressBookService.ServiceProtocol {
    let environment: ServiceEnvironment

    /// Entries per download page, and the most a client may ask for.
    static let downloadPage = 1000

    func updateBook(request: Cardex_V1_UpdateBookRequest, context: ServerContext) async throws -> Cardex_V1_UpdateBookResponse {
        let limits = environment.books.limits
        let changes = request.upserts.count + request.removals.count
        guard changes <= limits.maxChangesPerCall else {
            throw CardexError.invalidArgument(
                "an update makes at most \(limits.maxChangesPerCall) changes; this one makes \(changes): split it or use UploadBook")
        }
        let edit = BookEdit(upserts: try validated(request.upserts), removals: request.removals)
        return try await apply(edit, replace: request.replace, caller: try context.caller())
    }

    func uploadBook(
        requests: RequestStream<Cardex_V1_UploadBookRequest>, context: ServerContext
    ) async throws -> Cardex_V1_UpdateBookResponse {
        let caller = try context.caller()
        let limits = environment.books.limits
        var edit = BookEdit()
        var replace: Bool?
        for try await message in requests {
            if replace == nil { replace = message.replace }
            // In order: a later message's change to an entry replaces an earlier one's.
            edit.apply(upserts: try validated(message.entries), removals: message.removals)
            // What the server holds for one upload is bounded by the size a book may have.
            guard edit.upsertCount <= limits.maxEntries, edit.removalCount <= limits.maxEntries else {
                throw CardexError.invalidArgument("an upload names at most \(limits.maxEntries) entries and as many removals")
            }
        }
        return try await apply(edit, replace: replace ?? false, caller: caller)
    }

    func downloadBook(request: Cardex_V1_DownloadBookRequest, context: ServerContext) async throws -> Cardex_V1_DownloadBookResponse {
        let caller = try context.caller()
        let limit = request.limit == 0 ? Self.downloadPage : min(Int(request.limit), Self.downloadPage)
        let entries = try await environment.useCases.books.entries(
            of: caller.userID, after: request.pageToken.isEmpty ? nil : request.pageToken, limit: limit + 1)
        return .with {
            $0.entries = entries.prefix(limit).map(\.proto)
            $0.nextPageToken = entries.count > limit ? entries[limit - 1].clientEntryID : ""
        }
    }

    /// The entries as the store keeps them. INVALID_ARGUMENT for a malformed one.
    private func validated(_ entries: [Cardex_V1_BookEntry]) throws -> [BookEntry] {
        try entries.map { entry in
            try environment.books.validate(
                BookEntry(clientEntryID: entry.clientEntryID, name: entry.name, phones: entry.phones, emails: entry.emails))
        }
    }

    private func apply(_ edit: BookEdit, replace: Bool, caller: DeviceSession) async throws -> Cardex_V1_UpdateBookResponse {
        let update = try await environment.useCases.books.update(of: caller.userID, edit: edit, replace: replace, now: environment.clock.now())
        return .with {
            $0.added = UInt32(update.added)
            $0.changed = UInt32(update.changed)
            $0.unchanged = UInt32(update.unchanged)
            $0.removed = UInt32(update.removed)
            $0.cardSentTo = update.cardSentTo.map(\.e164)
        }
    }
}
