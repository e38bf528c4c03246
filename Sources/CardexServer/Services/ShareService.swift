import CardexCore
import CardexProto
import FramedRPC

/// Sharing my card, and answering what others share with me.
struct ShareService: Cardex_V1_ShareService.ServiceProtocol {
    let environment: ServiceEnvironment

    func shareCard(request: Cardex_V1_ShareCardRequest, context: ServerContext) async throws -> Cardex_V1_ShareCardResponse {
        let caller = try context.caller()
        let policy = environment.sharing
        let recipients: [ShareRecipient]
        let targets = [!request.recipients.isEmpty, request.everyone, !request.groupID.isEmpty].filter { $0 }.count
        guard targets <= 1 else {
            throw CardexError.invalidArgument("share with recipients, with everyone, or with a group: one of them")
        }
        if request.everyone {
            recipients = [.everyone]
        } else if !request.groupID.isEmpty {
            // The group's size is bounded by its own policy, not by the per-call recipient limit.
            let members = try await environment.useCases.groups.members(of: request.groupID, seenBy: caller.userID)
            guard !members.isEmpty else { throw CardexError.failedPrecondition("you see no other member in this group to share with") }
            recipients = members.map { .user($0.user) }
        } else {
            recipients = try self.recipients(request.recipients)
        }
        let fields = try FieldSelection(proto: request.fields, limits: environment.cards.limits, maxSelectors: policy.maxSelectors)
        let ids = try await environment.useCases.shares.share(fields: fields, of: caller.userID, with: recipients, now: environment.clock.now())
        return .with { $0.shareIds = ids }
    }

    func forwardEntry(request: Cardex_V1_ForwardEntryRequest, context: ServerContext) async throws -> Cardex_V1_ForwardEntryResponse {
        let caller = try context.caller()
        let ids = try await environment.useCases.shares.forward(
            entryID: request.clientEntryID, of: caller.userID, to: try recipients(request.recipients), now: environment.clock.now())
        return .with { $0.shareIds = ids }
    }

    /// The people a request names.
    /// - Throws: ``CardexError/invalidArgument(_:)`` for none, too many, or a malformed one.
    private func recipients(_ people: [Cardex_V1_Person]) throws(CardexError) -> [ShareRecipient] {
        let limit = environment.sharing.maxRecipientsPerCall
        guard !people.isEmpty else { throw .invalidArgument("name at least one recipient") }
        guard people.count <= limit else {
            throw .invalidArgument("a share names at most \(limit) recipients; this one names \(people.count)")
        }
        var named: [ShareRecipient] = []
        for (index, person) in people.enumerated() {
            do { named.append(try ShareRecipient(proto: person, phoneNumbers: environment.phoneNumbers)) } catch {
                throw .invalidArgument("recipients[\(index)]: \(error.message)")
            }
        }
        return named
    }

    func listShares(request: Cardex_V1_ListSharesRequest, context: ServerContext) async throws -> Cardex_V1_ListSharesResponse {
        let shares = try await environment.useCases.shares.shares(of: context.caller().userID)
        return .with { $0.shares = shares.map(\.proto) }
    }

    func revokeShare(request: Cardex_V1_RevokeShareRequest, context: ServerContext) async throws -> Cardex_V1_RevokeShareResponse {
        try await environment.useCases.shares.revoke(request.shareID, of: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_RevokeShareResponse()
    }

    func listInbox(request: Cardex_V1_ListInboxRequest, context: ServerContext) async throws -> Cardex_V1_ListInboxResponse {
        let items = try await environment.useCases.shares.inbox(of: context.caller().userID)
        return .with { $0.items = items.map(\.proto) }
    }

    func acceptShare(request: Cardex_V1_AcceptShareRequest, context: ServerContext) async throws -> Cardex_V1_AcceptShareResponse {
        let accepted = try await environment.useCases.shares.accept(request.itemID, by: context.caller().userID, now: environment.clock.now())
        return .with {
            $0.card = accepted.card.proto
            if let entry = accepted.addedEntry { $0.addedEntry = entry.proto }
        }
    }

    func declineShare(request: Cardex_V1_DeclineShareRequest, context: ServerContext) async throws -> Cardex_V1_DeclineShareResponse {
        try await environment.useCases.shares.decline(request.itemID, by: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_DeclineShareResponse()
    }

    func listSharedWithMe(
        request: Cardex_V1_ListSharedWithMeRequest, context: ServerContext
    ) async throws -> Cardex_V1_ListSharedWithMeResponse {
        let cards = try await environment.useCases.shares.sharedCards(with: context.caller().userID)
        return .with { $0.cards = cards.map(\.proto) }
    }
}
