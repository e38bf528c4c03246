import CardexClient
import CardexProto
import Synchronization

/// The calls of the soak, in the proportions of a day of use: reading my card and others',
/// lookups of known numbers, delta syncs, card edits, small address-book updates, inbox and
/// share lists, a share with an unregistered number (an invitation) and its revocation, paged
/// downloads. Every call must answer OK.
///
/// The data stays the same size once the warm-up is over, so that the server's memory over the
/// run shows what the process keeps, not what the database holds: each person rewrites
/// ``bookSize`` entries, each share is revoked at once, invitations go to ``invitedNumbers``
/// numbers (one invitation per number a day), and ``serveFlags`` keeps ``eventsPerPerson``
/// events per person.
final class SoakMix: Sendable {
    /// Entry ids each person cycles through.
    static let bookSize = 200
    /// Unregistered numbers the shares go to, in turn.
    static let invitedNumbers = 5_000
    /// Events kept per person (the default is 10,000): at 1,280 calls/s most people reach it within
    /// about 12 minutes, and the event log stops growing.
    static let eventsPerPerson = 500
    /// Flags of `cardex serve` for the soak, beside ``WriteLoad/serveFlags``.
    static let serveFlags = ["--max-events-per-user", String(eventsPerPerson)]

    let clients: [CardexClient]
    let phones: [String]
    private let syncTokens: Mutex<[String]>
    private let counter = Atomic<Int>(0)

    init(clients: [CardexClient], phones: [String]) {
        self.clients = clients
        self.phones = phones
        self.syncTokens = Mutex(Array(repeating: "", count: clients.count))
    }

    /// Gives every person a card (others read it), lets everyone find them by number (the mix
    /// looks people up by number as strangers) and a first book entry.
    func prepare() async throws {
        for index in clients.indices {
            try await setCard(index)
            _ = try await clients[index].account.updateSettings(.with { $0.discoverableBy = .everyone })
            try await updateBook(index)
        }
    }

    /// Runs the next call of the mix as a random person.
    func call() async throws {
        let n = counter.add(1, ordering: .relaxed).newValue
        let me = Int.random(in: 0..<clients.count)
        let other = (me + 1 + Int.random(in: 0..<(clients.count - 1))) % clients.count
        let client = clients[me]
        switch n % 20 {
        case 0..<4: _ = try await client.cards.getMyCard(.init())
        case 4..<7: _ = try await client.cards.getCard(.with { $0.phone = phones[other] })
        case 7, 8: _ = try await client.lookup.lookup(.with { $0.phone = phones[other] })
        case 9, 10: try await sync(me)
        case 11, 12: try await setCard(me)
        case 13, 14: try await updateBook(me)
        case 15: _ = try await client.shares.listInbox(.init())
        case 16: _ = try await client.shares.listShares(.init())
        case 17:
            // Share calls are every 20th call, so consecutive ones go to different numbers and a
            // number comes back only after `invitedNumbers` shares: two calls of one person in
            // flight at once never share with the same number (they would share one share, and
            // the second revocation would find it gone).
            let number = n / 20 % Self.invitedNumbers
            let shared = try await client.shares.shareCard(
                .with {
                    $0.recipients = [.with { $0.phone = "+1554" + String(format: "%07d", number) }]
                    $0.fields = [.with { $0.kind = .name }]
                })
            for id in shared.shareIds { _ = try await client.shares.revokeShare(.with { $0.shareID = id }) }
        default: _ = try await client.book.downloadBook(.with { $0.limit = 100 })
        }
    }

    private func setCard(_ index: Int) async throws {
        _ = try await clients[index].cards.setCard(
            .with {
                $0.card.fields = [
                    .with {
                        $0.kind = .name
                        $0.value = "Soak \(index)"
                        $0.audience.level = .everyone
                    },
                    .with {
                        $0.kind = .note
                        $0.value = "edit \(counter.load(ordering: .relaxed))"
                        $0.audience.level = .contacts
                    },
                ]
            })
    }

    private func updateBook(_ index: Int) async throws {
        let n = counter.load(ordering: .relaxed)
        _ = try await clients[index].book.updateBook(
            .with {
                $0.upserts = [
                    .with {
                        $0.clientEntryID = "soak-\(n % Self.bookSize)"
                        $0.name = "Soak entry \(n)"
                        $0.phones = [phones[n % phones.count]]
                    }
                ]
            })
    }

    private func sync(_ index: Int) async throws {
        let token = syncTokens.withLock { $0[index] }
        let answer = try await clients[index].sync.sync(.with { $0.token = token })
        syncTokens.withLock { $0[index] = answer.nextToken }
    }
}
