import CardexCore
import CardexProto
import FramedRPC

/// Setting and reading cards; every read goes through the audience check.
struct CardService: Cardex_V1_CardService.ServiceProtocol {
    let environment: ServiceEnvironment
    let numbers: NumberLookup

    func setCard(request: Cardex_V1_SetCardRequest, context: ServerContext) async throws -> Cardex_V1_SetCardResponse {
        let caller = try context.caller()
        let card = try environment.cards.validate(Card(proto: request.card))
        let (stored, changed) = try await environment.useCases.cards.save(
            card, of: caller.userID, ifMatch: request.ifMatchEtag.isEmpty ? nil : request.ifMatchEtag, now: environment.clock.now())
        return .with {
            $0.version = stored.versionProto
            $0.changed = changed
        }
    }

    func getMyCard(request: Cardex_V1_GetMyCardRequest, context: ServerContext) async throws -> Cardex_V1_GetMyCardResponse {
        let stored = try await environment.useCases.cards.current(of: context.caller().userID)
        return .with {
            if let stored {
                $0.card = stored.card.proto
                $0.version = stored.versionProto
            }
        }
    }

    func getCard(request: Cardex_V1_GetCardRequest, context: ServerContext) async throws -> Cardex_V1_GetCardResponse {
        let reader = try context.caller().userID
        let view: CardView
        switch request.person {
        case .userID(let text):
            view = try await environment.useCases.cards.view(of: UserID(parsing: text), for: reader)
        case .phone(let text):
            // Finding someone by number is a lookup: its rules and budgets apply.
            let number = try environment.phoneNumbers.parse(text)
            guard let found = try await numbers.find(number, purpose: .callerID, context: context) else {
                throw CardexError.notFound("no card to show for this person")
            }
            view = found
        case nil: throw CardexError.invalidArgument("name the person: set user_id or phone")
        }
        guard !view.fields.isEmpty else { throw CardexError.notFound("no card to show for this person") }
        let shared = view.proto
        return .with {
            $0.userID = shared.userID
            $0.card = shared.card
            $0.version = shared.version
        }
    }
}
