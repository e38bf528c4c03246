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
        return try await apply(
            upserts: request.upserts, removals: request.removals, replace: request.replace, caller: try context.caller())
    }

    func uploadBook(
        requests: RequestStream<Cardex_V1_UploadBookRequest>, context: ServerContext
    ) async throws -> Cardex_V1_UpdateBookResponse {
        let caller = try context.caller()
        let limits = environment.books.limits
        var upserts: [Cardex_V1_BookEntry] = []
        var removals: [String] = []
        var replace: Bool?
        for try await message in requests {
            if replace == nil { replace = message.replace }
            upserts += message.entries
            removals += message.removals
            // What the server holds for one upload is bounded by the size a book may have.
            guard upserts.count <= limits.maxEntries, removals.count <= limits.maxEntries else {
                throw CardexError.invalidArgument("an upload names at most \(limits.maxEntries) entries and as many removals")
            }
        }
        return try await apply(upserts: upserts, removals: removals, replace: replace ?? false, caller: caller)
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

    private func apply(
        upserts: [Cardex_V1_BookEntry], removals: [String], replace: Bool, caller: DeviceSession
    ) async throws -> Cardex_V1_UpdateBookResponse {
        let entries = try upserts.map { entry in
            try environment.books.validate(
                BookEntry(clientEntryID: entry.clientEntryID, name: entry.name, phones: entry.phones, emails: entry.emails))
        }
        let update = try await environment.useCases.books.update(
            of: caller.userID, upserts: entries, removals: removals, replace: replace, now: environment.clock.now())
        return .with {
            $0.added = UInt32(update.added)
            $0.changed = UInt32(update.changed)
            $0.unchanged = UInt32(update.unchanged)
            $0.removed = UInt32(update.removed)
            $0.cardSentTo = update.cardSentTo.map(\.e164)
        }
    }
}
