import CardexClient
import CardexProto
import FramedRPC

/// The writes of the shutdown and crash tools, each through the real RPCs and each touching
/// several tables: a card change (card, its history, the event log), a share with a new number
/// (share, invitation, notification outbox), a streamed address-book upload (entries, mutual
/// matches) and a new group (group, membership). Each is recorded in the ``WriteLedger`` once
/// the server answered OK.
struct WriteLoad: Sendable {
    enum Kind: CaseIterable {
        case card, share, book, group
    }

    let ledger: WriteLedger
    /// Entries per message of an upload (two messages an upload).
    var entriesPerMessage = 10
    /// Pause between the two messages of an upload, so uploads stay in flight a while.
    var uploadPause = Duration.milliseconds(20)

    /// The `cardex serve` flags that let the load run long: registration, pending shares and
    /// owned groups limits far above what it reaches.
    static let serveFlags = [
        "--codes-per-address", "1000000", "--max-unanswered-shares", "1000000", "--max-owned-groups", "1000000",
        "--max-book-entries", "1000000",
    ]

    /// Performs one write of `kind` as `phone`; throws the call's error (nothing is recorded then).
    func perform(_ kind: Kind, as phone: String, through client: CardexClient) async throws {
        let n = ledger.next()
        switch kind {
        case .card:
            let saved = try await client.cards.setCard(
                .with {
                    $0.card.fields = [
                        .with {
                            $0.kind = .name
                            $0.value = "Load \(phone)"
                            $0.audience.level = .everyone
                        },
                        .with {
                            $0.kind = .note
                            $0.value = "write \(n)"
                            $0.audience.level = .onlyMe
                        },
                    ]
                })
            if saved.changed { ledger.record(phone) { $0.cardVersions += 1 } }
        case .share:
            let shared = try await client.shares.shareCard(
                .with {
                    $0.recipients = [.with { $0.phone = Self.recipient(n) }]
                    $0.fields = [.with { $0.kind = .name }]
                })
            ledger.record(phone) { $0.shareIDs += shared.shareIds }
        case .book:
            let ids = (0..<2 * entriesPerMessage).map { "\(phone)-\(n)-\($0)" }
            let pause = uploadPause
            _ = try await client.book.uploadBook { writer in
                for (index, chunk) in [ids.prefix(entriesPerMessage), ids.suffix(entriesPerMessage)].enumerated() {
                    if index > 0 { try await Task.sleep(for: pause) }
                    try await writer.write(.with { $0.entries = chunk.map { Self.entry($0, phone: Self.recipient(n)) } })
                }
            }
            ledger.record(phone) { $0.entryIDs += ids }
        case .group:
            let group = try await client.groups.createGroup(.with { $0.name = "load \(n)" })
            ledger.record(phone) { $0.groupIDs.append(group.groupID) }
        }
    }

    /// A number no account has: a share with it is an invitation.
    static func recipient(_ n: Int) -> String {
        "+1557" + String(format: "%07d", n % 10_000_000)
    }

    private static func entry(_ id: String, phone: String) -> Cardex_V1_BookEntry {
        .with {
            $0.clientEntryID = id
            $0.name = "Entry \(id)"
            $0.phones = [phone]
        }
    }
}
