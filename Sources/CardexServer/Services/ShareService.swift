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
        if request.everyone {
            guard request.recipients.isEmpty else {
                throw CardexError.invalidArgument("share either with everyone or with recipients, not both")
            }
            recipients = [.everyone]
        } else {
            guard !request.recipients.isEmpty else {
                throw CardexError.invalidArgument("name at least one recipient, or set everyone")
            }
            guard request.recipients.count <= policy.maxRecipientsPerCall else {
                throw CardexError.invalidArgument(
                    "a share names at most \(policy.maxRecipientsPerCall) recipients; this one names \(request.recipients.count)")
            }
            var named: [ShareRecipient] = []
            for (index, person) in request.recipients.enumerated() {
                do { named.append(try ShareRecipient(proto: person, phoneNumbers: environment.phoneNumbers)) } catch {
                    throw CardexError.invalidArgument("recipients[\(index)]: \(error.message)")
                }
            }
            recipients = named
        }
        let fields = try FieldSelection(proto: request.fields, limits: environment.cards.limits, maxSelectors: policy.maxSelectors)
        let ids = try await environment.store.share(
            fields: fields, of: caller.userID, with: recipients, presence: environment.presence, policy: policy,
            now: environment.clock.now())
        environment.outboxChanged()
        return .with { $0.shareIds = ids }
    }

    func listShares(request: Cardex_V1_ListSharesRequest, context: ServerContext) async throws -> Cardex_V1_ListSharesResponse {
        let shares = try await environment.store.shares(of: context.caller().userID)
        return .with { $0.shares = shares.map(\.proto) }
    }

    func revokeShare(request: Cardex_V1_RevokeShareRequest, context: ServerContext) async throws -> Cardex_V1_RevokeShareResponse {
        try await environment.store.revokeShare(request.shareID, of: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_RevokeShareResponse()
    }

    func listInbox(request: Cardex_V1_ListInboxRequest, context: ServerContext) async throws -> Cardex_V1_ListInboxResponse {
        let items = try await environment.store.inbox(of: context.caller().userID)
        return .with { $0.items = items.map(\.proto) }
    }

    func acceptShare(request: Cardex_V1_AcceptShareRequest, context: ServerContext) async throws -> Cardex_V1_AcceptShareResponse {
        let view = try await environment.store.acceptShare(request.itemID, by: context.caller().userID, now: environment.clock.now())
        return .with { $0.card = view.proto }
    }

    func declineShare(request: Cardex_V1_DeclineShareRequest, context: ServerContext) async throws -> Cardex_V1_DeclineShareResponse {
        try await environment.store.declineShare(request.itemID, by: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_DeclineShareResponse()
    }

    func listSharedWithMe(
        request: Cardex_V1_ListSharedWithMeRequest, context: ServerContext
    ) async throws -> Cardex_V1_ListSharedWithMeResponse {
        let cards = try await environment.store.sharedCards(with: context.caller().userID)
        return .with { $0.cards = cards.map(\.proto) }
    }
}
