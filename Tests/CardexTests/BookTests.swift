import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Address-book backup: streamed upload of a large book, paged download, full replace.
@Suite("Address book backup")
struct BookTests {
    static func book(_ count: Int, suffix: String = "") -> [Cardex_V1_BookEntry] {
        (0..<count).map { index in
            .with {
                $0.clientEntryID = String(format: "entry-%05d", index)
                $0.name = "Person \(index)\(suffix)"
                $0.phones = [String(format: "+1556%07d", index), "ext \(index)"]
                $0.emails = ["p\(index)@example.com"]
            }
        }
    }

    static func download(_ client: CardexClient) async throws -> [Cardex_V1_BookEntry] {
        var entries: [Cardex_V1_BookEntry] = []
        var token = ""
        repeat {
            let page = try await client.book.downloadBook(.with { $0.pageToken = token })
            entries += page.entries
            token = page.nextPageToken
        } while !token.isEmpty
        return entries
    }

    static func upload(_ client: CardexClient, _ entries: [Cardex_V1_BookEntry], replace: Bool = false) async throws -> Cardex_V1_UpdateBookResponse {
        try await client.book.uploadBook { writer in
            for start in stride(from: 0, to: entries.count, by: 1000) {
                try await writer.write(
                    .with {
                        $0.replace = replace
                        $0.entries = Array(entries[start..<min(start + 1000, entries.count)])
                    })
            }
        }
    }

    @Test("a 20,000-entry book uploaded as a stream downloads the same; uploading it again changes nothing")
    func largeBookRoundTrip() async throws {
        try await withCardex { server in
            let (alice, _) = try await server.signIn("+15550007001")
            let book = Self.book(20_000)
            let first = try await Self.upload(alice, book)
            #expect(first.added == 20_000)
            #expect(try await Self.download(alice) == book)
            let again = try await Self.upload(alice, book)
            #expect(again.added == 0 && again.changed == 0 && again.unchanged == 20_000)
        }
    }

    @Test("a full replace keeps exactly the entries sent; a delta adds, changes and removes")
    func replaceAndDelta() async throws {
        try await withCardex { server in
            let (alice, _) = try await server.signIn("+15550007002")
            _ = try await alice.book.updateBook(.with { $0.upserts = Self.book(5) })
            let delta = try await alice.book.updateBook(
                .with {
                    $0.upserts = [Self.book(1, suffix: " renamed")[0], Self.book(7)[6]]
                    $0.removals = ["entry-00001"]
                })
            #expect(delta.added == 1 && delta.changed == 1 && delta.removed == 1)
            #expect(try await Self.download(alice).map(\.clientEntryID) == ["entry-00000", "entry-00002", "entry-00003", "entry-00004", "entry-00006"])
            let replaced = try await alice.book.updateBook(
                .with {
                    $0.upserts = Array(Self.book(3))
                    $0.replace = true
                })
            #expect(replaced.removed == 3)
            #expect(try await Self.download(alice) == Self.book(3))
        }
    }

    @Test("a streamed upload applies its messages in order; UpdateBook removes an id it also upserts")
    func operationsApplyInOrder() async throws {
        try await withCardex { server in
            let (alice, _) = try await server.signIn("+15550003301")
            let entries = Self.book(4)
            let uploaded = try await alice.book.uploadBook { writer in
                try await writer.write(.with { $0.entries = [entries[1], entries[3]] })
                try await writer.write(
                    .with {
                        $0.entries = [entries[2]]
                        $0.removals = [entries[3].clientEntryID]
                    })
            }
            #expect(try await Self.download(alice).map(\.clientEntryID) == [entries[1], entries[2]].map(\.clientEntryID))
            #expect(uploaded.added == 2 && uploaded.removed == 0)

            let updated = try await alice.book.updateBook(
                .with {
                    $0.upserts = [entries[0], entries[1]]
                    $0.removals = [entries[1].clientEntryID]
                })
            #expect(try await Self.download(alice).map(\.clientEntryID) == [entries[0], entries[2]].map(\.clientEntryID))
            #expect(updated.added == 1 && updated.removed == 1)

            // Removed, then added back later in the stream: it is there.
            _ = try await alice.book.uploadBook { writer in
                try await writer.write(.with { $0.removals = [entries[2].clientEntryID] })
                try await writer.write(.with { $0.entries = [entries[2]] })
            }
            #expect(try await Self.download(alice).map(\.clientEntryID) == [entries[0], entries[2]].map(\.clientEntryID))
        }
    }
}
