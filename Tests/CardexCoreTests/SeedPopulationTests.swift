import CardexCore
import Testing

@Suite("Seed populations")
struct SeedPopulationTests {
    @Test(
        "a seeded book's entries come in the order of their client ids as text, each with its number",
        arguments: [0, 1, 2, 9, 10, 11, 99, 100, 101, 1000, 1234])
    func bookOrder(size: Int) {
        let population = SeedPopulation(
            phonePrefix: "+1555", digits: 7, card: { _ in Card() },
            book: { index in
                (0..<size).map { "+1555" + String(index * 10_000 + $0) }
            })
        let entries = population.bookEntries(3)
        #expect(entries.map(\.clientEntryID) == (0..<size).map(String.init).sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) })
        #expect(entries.allSatisfy { $0.phones == ["+1555" + String(30_000 + Int($0.clientEntryID)!)] && $0.numbers.map(\.e164) == $0.phones })
    }

    @Test("an account's rows: derived id, padded phone, its card and that card's etag")
    func account() {
        let population = SeedPopulation(phonePrefix: "+1555", digits: 7, card: { Card(fields: [CardField(kind: .name, value: "N\($0)", audience: .everyone)]) })
        let account = population.account(42)
        #expect(account.phone == "+15550000042")
        #expect(account.userID == UserID.derived(from: "+15550000042"))
        #expect(account.card == population.card(42))
        #expect(account.etag == ETag.ofCard(population.card(42)))
        #expect(account.book.isEmpty)
    }
}
