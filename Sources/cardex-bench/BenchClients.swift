import CardexClient
import CardexProto
import Foundation
import FramedRPC
import Synchronization

/// The clients of a benchmark: signing in, seeding shares, opening event streams.
final class BenchClients: Sendable {
    let port: Int
    let trustRoots: String
    let codes: CodeInbox
    private let clients = Mutex<[CardexClient]>([])

    init(port: Int, trustRoots: String, codes: CodeInbox) {
        self.port = port
        self.trustRoots = trustRoots
        self.codes = codes
    }

    static func card(name: String) -> [Cardex_V1_CardField] {
        [
            .with {
                $0.kind = .name
                $0.value = name
                $0.audience.level = .contacts
            },
            .with {
                $0.kind = .phone
                $0.value = "+15559000000"
                $0.audience.level = .contacts
            },
            .with {
                $0.kind = .note
                $0.value = "private"
                $0.audience.level = .onlyMe
            },
        ]
    }

    /// A client on its own connection holding the session `token` (signed in elsewhere).
    func connect(token: String?) throws -> CardexClient {
        let client = try CardexClient(host: "127.0.0.1", port: port, trustRootsPath: trustRoots, token: token)
        clients.withLock { $0.append(client) }
        return client
    }

    /// A signed-in client on its own connection.
    func signIn(_ phone: String) async throws -> CardexClient {
        let client = try CardexClient(host: "127.0.0.1", port: port, trustRootsPath: trustRoots)
        clients.withLock { $0.append(client) }
        _ = try await client.registration.requestCode(
            .with {
                $0.phone = phone
                $0.purpose = .register
            })
        let code = try await codes.take(for: phone)
        let verified = try await client.registration.verifyCode(
            .with {
                $0.phone = phone
                $0.code = code
                $0.purpose = .register
            })
        client.credentials.token = verified.sessionToken
        return client
    }

    /// Signs in `count` people, shares the owner's card with all of them, and has each accept.
    func seedReaders(count: Int, sharingWith owner: CardexClient) async throws -> [CardexClient] {
        _ = try await owner.cards.setCard(.with { $0.card.fields = Self.card(name: "Owner") })
        let phones = (1...count).map { String(format: "+1555%07d", $0) }
        let readers = try await inBatches(phones) { try await self.signIn($0) }
        for batch in stride(from: 0, to: phones.count, by: 100) {
            let recipients = phones[batch..<min(batch + 100, phones.count)]
            _ = try await owner.shares.shareCard(
                .with {
                    $0.recipients = recipients.map { phone in .with { $0.phone = phone } }
                    $0.fields = [.with { $0.kind = .name }]
                })
        }
        _ = try await inBatches(readers) { reader in
            let item = try await reader.shares.listInbox(.init()).items
            guard let id = item.first?.itemID else { throw BenchError("a reader's inbox is empty after the share") }
            return try await reader.shares.acceptShare(.with { $0.itemID = id })
        }
        return readers
    }

    /// Opens every reader's event stream and waits until all are ready.
    func subscribe(_ readers: [CardexClient]) async throws -> Watchers {
        let watchers = Watchers()
        for reader in readers { watchers.watch(reader) }
        try await watchers.waitUntilReady(readers.count, timeout: .seconds(60))
        return watchers
    }

    func closeAll() async {
        for client in clients.withLock({ $0 }) { await client.close() }
    }

    /// Runs `body` for every element, 32 at a time, keeping the order of results.
    private func inBatches<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
        var results: [R] = []
        for start in stride(from: 0, to: items.count, by: 32) {
            let slice = Array(items[start..<min(start + 32, items.count)])
            results += try await withThrowingTaskGroup(of: (Int, R).self) { group in
                for (index, item) in slice.enumerated() { group.addTask { (index, try await body(item)) } }
                var batch = [(Int, R)]()
                for try await result in group { batch.append(result) }
                return batch.sorted { $0.0 < $1.0 }.map(\.1)
            }
        }
        return results
    }
}
