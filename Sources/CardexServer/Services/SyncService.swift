import CardexCore
import CardexProto
import FramedRPC

/// Query-update and delta sync: keeping a phone's copies of cards fresh.
struct SyncService: Cardex_V1_SyncService.ServiceProtocol {
    let environment: ServiceEnvironment
    /// Items naming a number find their person through it, as a discovery: its budgets and
    /// "who may find me" apply.
    let numbers: NumberLookup

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
            let localName = try UserText.check(item.localName, what: "items[\(index)].local_name", maxBytes: environment.cards.limits.maxValueBytes)
            items.append(QueryItem(person: person, knownETag: item.knownEtag, knownVersion: item.knownVersion, localName: localName))
        }
        let answers = try await answer(items, for: caller.userID, context: context)
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

    /// Items naming a user id are answered from that person's current card; items naming a
    /// number through ``NumberLookup`` (paid for, and only people who let the caller find them).
    private func answer(_ items: [QueryItem], for reader: UserID, context: ServerContext) async throws -> [QueryAnswer] {
        var owners: [(index: Int, owner: UserID)] = []
        var numbered: [(index: Int, query: NumberQuery)] = []
        for (index, item) in items.enumerated() {
            switch item.person {
            case .user(let id): owners.append((index, id))
            case .phone(let phone): numbered.append((index, NumberQuery(phone, localName: item.localName)))
            }
        }
        var answers = [QueryAnswer](repeating: .noResult, count: items.count)
        if !numbered.isEmpty {
            let matches = try await numbers.find(numbered.map(\.query), purpose: .discovery, context: context)
            for ((index, _), match) in zip(numbered, matches) {
                if let match { answers[index] = items[index].answer(for: match.view, numberChanged: match.numberChanged) }
            }
        }
        if !owners.isEmpty {
            let views = try await environment.useCases.sync.currentViews(of: owners.map(\.owner), for: reader)
            for ((index, _), view) in zip(owners, views) {
                answers[index] = items[index].answer(for: view)
            }
        }
        return answers
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
        let page = try await environment.useCases.sync.page(for: caller.userID, since: token, limit: limit)
        return .with {
            $0.changed = page.changed.map(\.proto)
            $0.removedUserIds = page.removed.map(\.rawValue)
            $0.nextToken = page.next.text
            $0.more = page.more
        }
    }
}
