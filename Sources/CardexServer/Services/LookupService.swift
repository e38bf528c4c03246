import CardexCore
import CardexProto
import FramedRPC

/// Caller-ID lookup and contact discovery (patent CN102752392A claim 5, figure 6).
struct LookupService: Cardex_V1_LookupService.ServiceProtocol {
    let numbers: NumberLookup

    func lookup(request: Cardex_V1_LookupRequest, context: ServerContext) async throws -> Cardex_V1_LookupResponse {
        let number = try numbers.environment.phoneNumbers.parse(request.phone)
        guard let view = try await numbers.find(number, purpose: .callerID, context: context) else { throw NumberLookup.notFound }
        let shared = view.proto
        return .with {
            $0.userID = shared.userID
            $0.phone = number.e164
            $0.card = shared.card
            $0.version = shared.version
        }
    }

    func discover(request: Cardex_V1_DiscoverRequest, context: ServerContext) async throws -> Cardex_V1_DiscoverResponse {
        let limit = numbers.limiter.policy.maxDiscoverBatch
        guard request.phones.count <= limit else {
            throw CardexError.invalidArgument("a discovery names at most \(limit) numbers; this one names \(request.phones.count)")
        }
        // A text that is no phone number belongs to no one: it is simply not found.
        let parsed = request.phones.compactMap { text in
            (try? numbers.environment.phoneNumbers.parse(text)).map { (text: text, number: $0) }
        }
        let matches = try await numbers.find(parsed.map { NumberQuery($0.number) }, purpose: .discovery, context: context)
        return .with {
            $0.found = zip(parsed, matches).compactMap { asked, match in
                guard let view = match?.view else { return nil }
                return .with {
                    $0.phone = asked.text
                    $0.userID = view.owner.rawValue
                    $0.card = Card.readerProto(view.fields)
                }
            }
        }
    }
}
