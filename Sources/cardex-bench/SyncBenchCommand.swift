import ArgumentParser
import CardexClient
import CardexCore
import CardexProto
import CardexServer
import CardexUseCases
import Foundation
import FramedRPC

/// `cardex-bench sync`: address-book upload with matching, and query-update, against a seeded
/// population (patent CN103248655A claim 6, CN103067478A claims 9–14).
///
/// Seeds `--users` accounts with books into its store (SeedOptions, StoreOptions; or, with
/// `--seeded`, uses a data directory or database `cardex-bench seed` made), starts a server on
/// them, then measures:
/// - upload: each run signs in a fresh account (uploader N of SeedOptions, deleted first if an
///   earlier invocation left it) and uploads a `--entries` book of seeded numbers (from a
///   random place among them, so each invocation's are its own) in one UploadBook stream; 1 in 100 seeded books hold that account's number, so matching makes
///   mutual contacts. Timed from the call to the answer.
/// - query-update: an account asks about `--items` seeded people by user id with a stale etag
///   (every answer is UPDATED with the everyone fields), timed the same way: first on the
///   seeded database as it is, then again after the uploads (whose writes empty the readers'
///   page caches: the second figure shows what that costs).
struct SyncBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Time address-book upload with matching and query-update against a seeded population.")

    @OptionGroup var seed: SeedOptions
    @Option(help: "Entries in each uploaded book.") var entries = 5000
    @Option(help: "Items in each query-update.") var items = 1000
    @Option(help: "Measured runs of each.") var runs = 7
    @OptionGroup var store: StoreOptions
    @Flag(help: "The data directory or database was seeded by `cardex-bench seed` with the same --users and --book-size.")
    var seeded = false

    func validate() throws {
        guard (1...SeedOptions.uploaders).contains(runs) else { throw ValidationError("--runs must be 1...\(SeedOptions.uploaders)") }
        try store.validate(seeded: seeded)
    }

    func run() async throws {
        let uploaders = (1...runs).map(SeedOptions.uploader)
        let asker = "+15599999999"
        let (seed, seeded) = (seed, seeded)
        let server = try await BenchServer.start(
            store: store,
            prepare: { configuration in
                guard seeded else { return try await seed.seed(into: configuration) }
                // Accounts an earlier invocation registered: each run must upload into a new account.
                try await BenchStore.with(configuration) { store in
                    // Deleting accounts queues no message: a throwaway sealing key is enough.
                    let sealer = MessageSealer(secret: Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }))
                    let accounts = Accounts(
                        store: UseCaseStore(backend: store, events: .defaults, eventSink: nil, sealer: sealer), policy: .defaults)
                    for phone in uploaders + [asker] {
                        let id = try await store.read { transaction in try await transaction.account(phone: PhoneNumber(e164: phone))?.userID }
                        if let id { try await accounts.delete(id, now: Date()) }
                    }
                }
            })
        let session = server.clients

        // Query-update first, on the seeded database as it is; then the uploads; then
        // query-update again, to show what the uploads' writes cost the reads that follow.
        let queries = try await queryUpdates(session: session, asker: asker, phase: "query_update")
        var uploads: [Double] = []
        // Where this invocation's books start among the seeded numbers: each invocation uploads
        // numbers of its own, so that none finds the pages an earlier one read still cached
        // (by this machine or the disk under it).
        let offset = Int.random(in: 0..<seed.users)
        for (run, phone) in uploaders.enumerated() {
            let client = try await session.signIn(phone)
            let book = (0..<entries).map { position in
                Cardex_V1_BookEntry.with {
                    $0.clientEntryID = String(position)
                    $0.name = "Entry \(position)"
                    $0.phones = [SeedOptions.accounts.phone((position &* 37 &+ run &+ offset) % seed.users)]
                }
            }
            let start = ContinuousClock.now
            let answer = try await client.book.uploadBook { writer in
                for chunk in stride(from: 0, to: book.count, by: 1000) {
                    try await writer.write(.with { $0.entries = Array(book[chunk..<min(chunk + 1000, book.count)]) })
                }
            }
            let ms = (ContinuousClock.now - start) / .milliseconds(1)
            uploads.append(ms)
            printLine(#"{"bench":"upload","run":\#(run + 1),"entries":\#(answer.added),"users":\#(seed.users),"ms":\#(String(format: "%.1f", ms))}"#)
        }

        let queriesAfter = try await queryUpdates(session: session, asker: asker, phase: "query_update_after_uploads")
        for (name, timings) in [("query_update", queries), ("upload", uploads), ("query_update_after_uploads", queriesAfter)] {
            printLine(#"{"bench":"\#(name)","users":\#(seed.users),"runs":\#(runs),\#(summary(of: timings))}"#)
        }
        await server.stop()
    }

    /// `--runs` query-updates of `--items` seeded people by user id with stale etags (every
    /// answer UPDATED), each timed from the call to the answer; `phase` names the printed lines.
    private func queryUpdates(session: BenchClients, asker: String, phase: String) async throws -> [Double] {
        let asking = try await session.signIn(asker)
        var timings: [Double] = []
        for run in 1...runs {
            let request = Cardex_V1_QueryUpdateRequest.with {
                $0.items = (0..<items).map { item in
                    .with {
                        $0.person.userID = SeedOptions.accounts.userID((item &* 613 &+ run) % seed.users).rawValue
                        $0.knownEtag = "stale"
                    }
                }
            }
            let start = ContinuousClock.now
            let answer = try await asking.sync.queryUpdate(request)
            let ms = (ContinuousClock.now - start) / .milliseconds(1)
            guard answer.answers.allSatisfy({ $0.result == .updated }) else { throw BenchError("a query-update item was not UPDATED") }
            timings.append(ms)
            printLine(#"{"bench":"\#(phase)","run":\#(run),"items":\#(items),"users":\#(seed.users),"ms":\#(String(format: "%.1f", ms))}"#)
        }
        return timings
    }
}
