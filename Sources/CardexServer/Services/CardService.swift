import CardexCore
import CardexProto
import FramedRPC

/// Setting and reading cards; every read goes through the audience check.
struct CardService: Cardex_V1_CardService.ServiceProtocol {
    let environment: ServiceEnvironment

    func setCard(request: Cardex_V1_SetCardRequest, context: ServerContext) async throws -> Cardex_V1_SetCardResponse {
        let caller = try context.caller()
        let card = try environment.cards.validate(Card(proto: request.card))
        let (stored, changed) = try await environment.store.saveCard(
            card, of: caller.userID,
            ifMatch: request.ifMatchEtag.isEmpty ? nil : request.ifMatchEtag,
            historyLimit: environment.cardHistoryLimit,
            now: environment.clock.now())
        return .with {
            $0.version = stored.versionProto
            $0.changed = changed
        }
    }

    func getMyCard(request: Cardex_V1_GetMyCardRequest, context: ServerContext) async throws -> Cardex_V1_GetMyCardResponse {
        let stored = try await environment.store.card(of: context.caller().userID)
        return .with {
            if let stored {
                $0.card = stored.card.proto
                $0.version = stored.versionProto
            }
        }
    }

    func getCard(request: Cardex_V1_GetCardRequest, context: ServerContext) async throws -> Cardex_V1_GetCardResponse {
        let reader = try context.caller().userID
        let notFound = CardexError.notFound("no card to show for this person")
        let owner: UserID
        switch request.person {
        case .userID(let text): owner = try UserID(parsing: text)
        case .phone(let text):
            guard let account = try await environment.store.account(phone: environment.phoneNumbers.parse(text)) else { throw notFound }
            owner = account.userID
        case nil: throw CardexError.invalidArgument("name the person: set user_id or phone")
        }
        guard let stored = try await environment.store.card(of: owner) else { throw notFound }
        let relation = try await environment.store.relation(of: reader, to: owner)
        let fields = stored.card.visible(to: relation)
        guard !fields.isEmpty else { throw notFound }
        return .with {
            $0.userID = owner.rawValue
            $0.card = Card.readerProto(fields)
            $0.version = .with {
                $0.version = stored.version
                $0.etag = ETag.ofView(fields)
                $0.updatedAtMs = stored.updatedAt.unixMilliseconds
            }
        }
    }
}
