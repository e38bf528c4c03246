import CardexCore
import Testing

@Suite("UserText: the one rule for text people send")
struct UserTextTests {
    @Test(
        "text that is not text is refused, naming the character",
        arguments: [
            ("nul\u{0}", "U+0000"), ("esc\u{1B}[31m", "U+001B"), ("bell\u{7}", "U+0007"), ("del\u{7F}", "U+007F"),
            ("c1\u{85}x", "U+0085"), ("tab\tinside", "U+0009"), ("line\nfeed", "U+000A"), ("sep\u{2028}x", "U+2028"),
            ("\u{202E}gnp.exe", "U+202E"), ("iso\u{2066}late", "U+2066"),
        ])
    func refused(_ text: String, _ named: String) {
        #expect {
            _ = try UserText.check(text, what: "a name", maxBytes: 100)
        } throws: { error in
            guard let error = error as? CardexError, case .invalidArgument(let message) = error else { return false }
            return message == "a name contains \(named), which is not text"
        }
    }

    @Test("scripts, emoji with joiners and variation selectors are text; spaces around are trimmed")
    func accepted() throws {
        for text in ["Zoë Müller", "山田 太郎", "محمد", "👩‍👩‍👧", "❤️", "Ελένη", "नमस्ते"] {
            #expect(try UserText.check("  \(text) \n", what: "a name", maxBytes: 100) == text)
        }
        #expect(try UserText.check(" kept ", what: "an id", maxBytes: 100, trim: false) == " kept ")
    }

    @Test("line feeds only in multi-line text; the byte limit counts UTF-8")
    func linesAndBytes() throws {
        #expect(try UserText.check("1 Main St\nSpringfield", what: "value", maxBytes: 100, lines: .many) == "1 Main St\nSpringfield")
        #expect(throws: CardexError.self) { try UserText.check("1 Main St\u{0}", what: "value", maxBytes: 100, lines: .many) }
        #expect(try UserText.check(String(repeating: "é", count: 50), what: "a tag", maxBytes: 100).utf8.count == 100)
        #expect(throws: CardexError.self) { try UserText.check(String(repeating: "é", count: 51), what: "a tag", maxBytes: 100) }
    }
}
