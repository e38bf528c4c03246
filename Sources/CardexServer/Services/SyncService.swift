import CardexCore
import CardexProto
import FramedRPC

/// Query-update and delta sync: keeping a phone's copies of cards fresh.
struct SyncService: Cardex_V1_SyncService.ServiceProtocol {
    let environment: ServiceEnvironment

    /// Items answered in one query-update call.
    static let maxItems = 1000
    /// Cards per sync page when the client names no limit, and the most it may name.
    static let defaultPage = 500

    func queryUpdate(request: Cardex_V1_QueryUpdateRequest, context: ServerContext) async throws -> Cardex_V1_QueryUpdateResponse {
        let caller = try context.caller()
        guard request.items.count <= Self.maxItems else {
            throw CardexError.invalidArgument("a query-update names at most \(Self.maxItems) items; this one names \(request.items.count)")
        }
        var items: [QueryItem] = []
        for (index, item) in request.items.enumerated() {
            let person: QueryItem.Person
            do throws(CardexError) {
                switch try ShareRecipient(proto: item.person, phoneNumbers: environment.phoneNumbers) {
                case .user(let id): person = .user(id)
                case .phone(let phone): person = .phone(phone)
                case .everyone: throw .invalidArgument("name one person")  // a Person cannot say everyone
                }
            } catch {
                throw CardexError.invalidArgument("items[\(index)]: \(error.message)")
            }
            items.append(QueryItem(person: person, knownETag: item.knownEtag, knownVersion: item.knownVersion, localName: item.localName))
        }
        let answers = try await environment.store.queryUpdate(items, for: caller.userID)
        return .with {
            $0.answers = answers.map { answer in
                .with {
                    switch answer {
                    case .notModified: $0.result = .notModified
                    case .noResult: $0.result = .noResult
                    case .updated(let view, let numberChanged):
                        $0.result = .updated
                        $0.card = view.proto
                        $0.numberChanged = numberChanged
                    }
                }
            }
        }
    }

    func sync(request: Cardex_V1_SyncRequest, context: ServerContext) async throws -> Cardex_V1_SyncResponse {
        let caller = try context.caller()
        var token: SyncToken?
        if !request.token.isEmpty {
            guard let parsed = SyncToken(text: request.token) else {
                throw CardexError.failedPrecondition("this is not a sync token of this server: do a full sync (send no token)")
            }
            token = parsed
        }
        let limit = request.limit == 0 ? Self.defaultPage : min(Int(request.limit), Self.defaultPage)
        let page = try await environment.store.sync(for: caller.userID, since: token, limit: limit)
        return .with {
            $0.changed = page.changed.map(\.proto)
            $0.removedUserIds = page.removed.map(\.rawValue)
            $0.nextToken = page.next.text
            $0.more = page.more
        }
    }
}
