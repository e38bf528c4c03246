import CardexCore
import CardexStorage
import CardexTestSupport
import CardexUseCases
import Foundation
import GRDB
import Testing

@testable import CardexSQLite

/// Migration v5: cards stored as JSON by v1–v4 become cardex.storage.v1.Card bytes.
@Suite("Cards migrated from JSON to protobuf bytes")
struct CardMigrationTests {
    static let lastJSONMigration = "v4: paid numbers in batches"
    static let (ada, bob) = (UserID(rawValue: "0f5e1d52-3c71-4d8e-9a0b-6f1c2d3e4a5b"), UserID(rawValue: "7a2b9c4d-1e6f-4a8b-8c0d-2e3f4a5b6c7d"))
    static let saved = Date(timeIntervalSince1970: 1_790_000_000.125)

    /// Ada's card history, oldest first; the last is her current card.
    static let adaVersions: [Card] = [
        Card(fields: [CardField(kind: .name, value: "Ada", audience: .everyone)]),
        Card(fields: [
            CardField(kind: .name, value: "Ada Lovelace", audience: .everyone),
            CardField(kind: .phone, label: "mobile", value: "+15550001111", audience: .contacts),
            CardField(kind: .note, value: "private \"quoted\"\n\\ é 🙂", audience: .onlyMe),
        ]),
        Card(fields: [
            CardField(kind: .name, value: "Ada L.", audience: .everyone),
            CardField(kind: .email, label: "wörk", value: "ada@example.com", audience: .groups(["g2", "g1", "grüppe"])),
            CardField(kind: .photoURL, value: "https://example.com/ä.png", audience: .people([bob, UserID(rawValue: "c")])),
            CardField(kind: .birthday, value: "--12-10", audience: .groups([])),
        ]),
    ]

    /// A v4 database holding Ada's three versions (two in history) and Bob's card, as the old code
    /// wrote them (GRDB's JSON encoder: the synthesized Codable, keys sorted).
    static func makeV4Database(at path: String, bobContent: String? = nil) throws -> Card {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: lastJSONMigration)
        let bobCard = Card(fields: [CardField(kind: .url, label: "blog", value: "https://bob.example", audience: .people([ada]))])
        try queue.write { db in
            let encoder = CardRecord.databaseJSONEncoder(for: "content")
            func json(_ card: Card) throws -> String { String(decoding: try encoder.encode(card), as: UTF8.self) }
            for (user, phone) in [(ada, "+15550001111"), (bob, "+15550002222")] {
                try db.execute(
                    sql: "INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by) VALUES (?, ?, ?, 1, 0, 'everyone')",
                    arguments: [user.rawValue, phone, saved])
            }
            for (index, card) in adaVersions.enumerated() {
                let table = index == adaVersions.count - 1 ? "cards" : "card_history"
                try db.execute(
                    sql: "INSERT INTO \(table) (user_id, version, etag, content, updated_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [ada.rawValue, index + 1, ETag.ofCard(card), try json(card), saved.addingTimeInterval(Double(index))])
            }
            try db.execute(
                sql: "INSERT INTO cards (user_id, version, etag, content, updated_at) VALUES (?, 1, ?, ?, ?)",
                arguments: [bob.rawValue, ETag.ofCard(bobCard), try bobContent ?? json(bobCard), saved])
        }
        return bobCard
    }

    /// A database path in a new temporary directory.
    static func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-v5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("cardex.sqlite").path
    }

    @Test("current and earlier cards read back equal, with their etags, versions and times; content is the codec's bytes")
    func convertsCardsAndHistory() async throws {
        let path = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        // Bob's row as literal v4 JSON, so the shape read is pinned even if Card's Codable changes.
        let literal =
            #"{"fields":[{"audience":{"people":{"_0":["0f5e1d52-3c71-4d8e-9a0b-6f1c2d3e4a5b"]}},"kind":"url","label":"blog","value":"https:\/\/bob.example"}]}"#
        let bobCard = try Self.makeV4Database(at: path, bobContent: literal)

        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        let current = try #require(try await store.read { try await $0.currentCard(of: Self.ada) })
        let last = Self.adaVersions.count - 1
        #expect(
            current
                == StoredCard(
                    card: Self.adaVersions[last], version: UInt64(last + 1), etag: ETag.ofCard(Self.adaVersions[last]),
                    updatedAt: Self.saved.addingTimeInterval(Double(last))))
        let previous = try await store.read { try await $0.previousCards(of: Self.ada) }
        #expect(previous.map(\.card) == Self.adaVersions[..<last].reversed())
        #expect(previous.map(\.version) == [2, 1])
        #expect(previous.map(\.etag) == Self.adaVersions[..<last].reversed().map(ETag.ofCard))
        #expect(previous.map(\.updatedAt) == [Self.saved.addingTimeInterval(1), Self.saved])
        #expect(
            try await store.read { try await $0.currentCard(of: Self.bob) }
                == StoredCard(card: bobCard, version: 1, etag: ETag.ofCard(bobCard), updatedAt: Self.saved))

        let rows = try SQLiteStore.connection(to: path).read { db in
            try Row.fetchAll(
                db, sql: "SELECT user_id, typeof(content), content FROM cards UNION ALL SELECT user_id, typeof(content), content FROM card_history")
        }
        #expect(rows.count == 4)
        for row in rows { #expect(row[1] as String == "blob") }
        let adaBytes = rows.first { $0[0] as String == Self.ada.rawValue }.map { $0[2] as Data }
        #expect(adaBytes == StoredCardCodec.encode(Self.adaVersions[last]), "equal cards, equal bytes: the migration writes what the codec writes")
        let types = try await SQLiteStore.connection(to: path).read { db in try db.columns(in: "card_history").map(\.type) }
        #expect(types == ["TEXT", "INTEGER", "TEXT", "BLOB", "DATETIME"])
    }

    @Test("an etag read before the migration still matches after it: the save it guards goes through")
    func etagsStayValid() async throws {
        let path = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        _ = try Self.makeV4Database(at: path)
        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        let etagBefore = ETag.ofCard(Self.adaVersions.last!)
        let edited = Card(fields: [CardField(kind: .name, value: "Ada Byron", audience: .everyone)])
        let cards = Cards(store: UseCaseStore(backend: store, events: .defaults, eventSink: nil, sealer: .forTests), historyLimit: 10)
        let (saved, changed) = try await cards.save(edited, of: Self.ada, ifMatch: etagBefore, now: Self.saved.addingTimeInterval(60))
        #expect(changed && saved.version == 4 && saved.card == edited)
        #expect(try await store.read { try await $0.previousCards(of: Self.ada) }.map(\.card) == Self.adaVersions.reversed())
    }

    @Test("a row that is not a v4 JSON card stops the migration, names the row, and leaves the database as it was")
    func refusesUnreadableRows() async throws {
        let path = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        _ = try Self.makeV4Database(at: path, bobContent: #"{"fields":[{"audience":{"everyone":{}},"kind":"fax","label":"","value":"1"}]}"#)
        await #expect {
            _ = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        } throws: { error in
            "\(error)".contains("migration v5") && "\(error)".contains(Self.bob.rawValue) && "\(error)".contains("fax")
        }
        let (applied, content) = try await DatabaseQueue(path: path).read { db in
            (
                try Schema.migrator.appliedIdentifiers(db),
                try String.fetchOne(db, sql: "SELECT content FROM cards WHERE user_id = ?", arguments: [Self.ada.rawValue])
            )
        }
        #expect(!applied.contains("v5: cards as protobuf bytes"))
        #expect(content?.hasPrefix(#"{"fields""#) == true)
    }
}
