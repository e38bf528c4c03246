import CardexCore
import Foundation
import Testing

@Suite("App password")
struct AppPasswordTests {
    @Test("generated passwords: 20 base32 characters in groups of four, all different")
    func generated() {
        let passwords = (0..<1000).map { _ in AppPassword.generate() }
        for password in passwords {
            #expect(password.text.wholeMatch(of: /[a-z2-7]{4}(-[a-z2-7]{4}){4}/) != nil)
            #expect(AppPassword(typed: password.text) == password)
        }
        #expect(Set(passwords).count == passwords.count)
        // Every character of the alphabet turns up: the 5 bits per character are not biased away from any.
        #expect(Set(passwords.flatMap(\.characters)).count == 32)
    }

    @Test("typed with or without dashes, spaces or capitals, it is the same password with the same hash")
    func typedForms() throws {
        let password = try #require(AppPassword(typed: "abcd-efgh-ijkl-mnop-qrst"))
        for typed in ["abcdefghijklmnopqrst", "ABCD EFGH IJKL MNOP QRST", "Abcd-Efgh-ijkl mnop-qrst"] {
            let same = try #require(AppPassword(typed: typed))
            #expect(same == password && same.hash == password.hash)
        }
        #expect(password.hash.count == 32)
        #expect(password.text == "abcd-efgh-ijkl-mnop-qrst")
    }

    @Test(
        "what is not a password is refused before any lookup",
        arguments: [
            "", "abcd-efgh-ijkl-mnop-qrs", "abcd-efgh-ijkl-mnop-qrstu", "abcd-efgh-ijkl-mnop-qrs0", "abcd-efgh-ijkl-mnop-qrs1",
            "abcd\u{0}efgh-ijkl-mnop-qrst", String(repeating: "-", count: 100) + "abcdefghijklmnopqrst", "ábcd-efgh-ijkl-mnop-qrst",
        ])
    func malformed(text: String) {
        #expect(AppPassword(typed: text) == nil)
    }
}
