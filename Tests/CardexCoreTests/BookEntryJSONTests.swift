import CardexCore
import Foundation
import Testing

@Suite("Stored address-book entries")
struct BookEntryJSONTests {
    @Test(
        "the hand-written JSON decodes back to the same entry, escapes included",
        arguments: [
            BookEntry(clientEntryID: "1", name: "Plain", phones: ["+15550001111"], emails: [], numbers: [PhoneNumber(e164: "+15550001111")]),
            BookEntry(clientEntryID: "q\"u\\o", name: "Tab\tNew\nline \u{1} é 🙂", phones: ["x", ""], emails: ["a@b.c"], numbers: []),
            BookEntry(clientEntryID: "v", name: "Card", vCard: "BEGIN:VCARD\r\nNOTE:\",\"vCard\":\"\r\nEND:VCARD\r\n"),
        ])
    func roundTrip(_ entry: BookEntry) throws {
        let decoded = try JSONDecoder().decode(BookEntry.self, from: Data(entry.storedJSON.utf8))
        #expect(decoded == entry)
    }

    @Test("an entry's fields are told apart from the vCard stored with them")
    func fieldsOfStored() {
        let fields = BookEntry(clientEntryID: "1", name: "Ann", phones: ["+15550001111"])
        var withCard = fields
        withCard.vCard = "BEGIN:VCARD\r\nFN:Ann\r\nNOTE:kept\r\nEND:VCARD\r\n"
        #expect(BookEntry.storedJSON(withCard.storedJSON, hasFieldsOf: fields.storedJSON))
        #expect(BookEntry.storedJSON(fields.storedJSON, hasFieldsOf: fields.storedJSON))
        var renamed = fields
        renamed.name = "Ann Lee"
        #expect(!BookEntry.storedJSON(withCard.storedJSON, hasFieldsOf: renamed.storedJSON))
        // A name that looks like the key inside a string is escaped, so it is not taken for it.
        let tricky = BookEntry(clientEntryID: "1", name: #"x","vCard":"y"#)
        #expect(!BookEntry.storedJSON(tricky.storedJSON, hasFieldsOf: BookEntry(clientEntryID: "1", name: "x").storedJSON))
    }
}
