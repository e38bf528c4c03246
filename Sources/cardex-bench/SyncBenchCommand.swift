import ArgumentParser
import CardexClient
import CardexCore
import CardexProto
import CardexSQLite
import CardexServer
import FramedRPC
import Foundation

/// `cardex-bench sync`: address-book upload with matching, and query-update, against a seeded
/// population (patent CN103248655A claim 6, CN103067478A claims 9–14).
///
/// Seeds `--users` accounts with books (SeedOptions), starts a server on them, then:
/// - upload: each run signs in a fresh account (+1559000000N) and uploads a `--entries` book of
///   seeded numbers in one UploadBook stream; 1 in 100 seeded books hold that account's number,
///   so matching makes mutual contacts. Timed from the call to the answer.
/// - query-update: a fresh account asks about `--items` seeded people by user id with a stale
///   etag (every answer is UPDATED with the everyone fields). Timed the same way.
struct SyncBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Time address-book upload with matching and query-update against a seeded population.")

    @OptionGroup var seed: SeedOptions
    @Option(help: "Entries in each uploaded book.") var entries = 5000
    @Option(help: "Items in each query-update.") var items = 1000
    @Option(help: "Measured runs of each.") var runs = 7
    @Option(help: "Data directory (default: a new temporary one, removed afterwards).") var dataDir: String?

    func run() async throws {
        let runs = runs
        let uploaders = (1...runs).map { String(format: "+1559%07d", $0) }
        let seed = seed
        let server = try await BenchServer.start(dataDir: dataDir) { configuration in
            configuration.registration = RegistrationPolicy(maxRequestsPerAddress: runs * 4 + 10)
        } prepare: { configuration in
            let seedStart = ContinuousClock.now
            let store = try SQLiteStore(SQLiteStore.Configuration(path: configuration.databasePath))
            try await seed.seed(into: store) { index in index % 100 == 0 ? [uploaders[(index / 100) % runs]] : [] }
            printLine("seeded \(seed.users) accounts with \(seed.bookSize)-entry books in \(ContinuousClock.now - seedStart)")
        }
        let session = server.clients

        var uploads: [Double] = []
        for (run, phone) in uploaders.enumerated() {
            let client = try await session.signIn(phone)
            let book = (0..<entries).map { position in
                Cardex_V1_BookEntry.with {
                    $0.clientEntryID = String(position)
                    $0.name = "Entry \(position)"
                    $0.phones = [SeedOptions.phone((position &* 37 &+ run) % seed.users)]
                }
            }
            let start = ContinuousClock.now
            let answer = try await client.book.uploadBook { writer in
                for chunk in stride(from: 0, to: book.count, by: 1000) {
                    try await writer.write(.with { $0.entries = Array(book[chunk..<min(chunk + 1000, book.count)]) })
                }
            }
            let ms = (ContinuousClock.now - start).milliseconds
            uploads.append(ms)
            printLine(#"{"bench":"upload","run":\#(run + 1),"entries":\#(answer.added),"users":\#(seed.users),"ms":\#(String(format: "%.1f", ms))}"#)
        }

        var queries: [Double] = []
        let asker = try await session.signIn("+15599999999")
        for run in 1...runs {
            let request = Cardex_V1_QueryUpdateRequest.with {
                $0.items = (0..<items).map { item in
                    .with {
                        $0.person.userID = UserID.derived(from: SeedOptions.phone((item &* 613 &+ run) % seed.users)).rawValue
                        $0.knownEtag = "stale"
                    }
                }
            }
            let start = ContinuousClock.now
            let answer = try await asker.sync.queryUpdate(request)
            let ms = (ContinuousClock.now - start).milliseconds
            guard answer.answers.allSatisfy({ $0.result == .updated }) else { throw BenchError("a query-update item was not UPDATED") }
            queries.append(ms)
            printLine(#"{"bench":"query_update","run":\#(run),"items":\#(items),"users":\#(seed.users),"ms":\#(String(format: "%.1f", ms))}"#)
        }
        for (name, timings) in [("upload", uploads), ("query_update", queries)] {
            printLine(#"{"bench":"\#(name)","users":\#(seed.users),"runs":\#(runs),\#(summary(of: timings))}"#)
        }
        await server.stop()
    }
}
