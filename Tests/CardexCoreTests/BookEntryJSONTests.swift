import CardexCore
import Foundation
import Testing

@Suite("Stored address-book entries")
struct BookEntryJSONTests {
    @Test("the hand-written JSON decodes back to the same entry, escapes included", arguments: [
        BookEntry(clientEntryID: "1", name: "Plain", phones: ["+15550001111"], emails: [], numbers: [PhoneNumber(e164: "+15550001111")]),
        BookEntry(clientEntryID: "q\"u\\o", name: "Tab\tNew\nline \u{1} é 🙂", phones: ["x", ""], emails: ["a@b.c"], numbers: []),
    ])
    func roundTrip(_ entry: BookEntry) throws {
        let decoded = try JSONDecoder().decode(BookEntry.self, from: Data(entry.storedJSON.utf8))
        #expect(decoded == entry)
    }
}
