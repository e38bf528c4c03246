import ArgumentParser
import CardexProto
import Foundation
import FramedRPC

/// `cardex discover <file>`: which numbers of a list or address book belong to people I may find.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find which phone numbers of a file belong to people I may see and find.",
        discussion: """
            The file holds one number a line (blank lines and lines starting with # are skipped; - reads \
            standard input), or is an address book as `cardex book upload` reads it (.json or .vcf: every \
            phone of every entry). One line per number found: the number as the file gives it, the user \
            id and the name (else the fields I may see); then "N of M numbers found". A number is found \
            only if its owner lets me find them (`cardex settings --discoverable`); an unregistered, \
            hidden or malformed number is just not found. Each number new to me costs one token of my \
            lookup budget; numbers already answered cost nothing, so a run stopped by the budget can be \
            repeated later on the same file.
            Example: cardex discover numbers.txt, or: cardex book download | cardex discover -
            """)

    /// Numbers per Discover call: the most a call may name (lookup.proto, `DiscoverRequest`).
    static let numbersPerCall = 1000

    @Argument(help: "A file of numbers, one a line, or a .json or .vcf address book; - for standard input.", completion: .file())
    var file: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let numbers = try PhoneListFile.read(from: file)
        guard !numbers.isEmpty else {
            throw CLIError("\(PhoneListFile.displayName(of: file)) holds no phone numbers: give one a line, or a .json or .vcf address book")
        }
        try await options.withSignedInClient { client in
            var answer = Cardex_V1_DiscoverResponse()
            var start = 0
            repeat {
                let end = min(start + Self.numbersPerCall, numbers.count)
                let page: Cardex_V1_DiscoverResponse
                do {
                    page = try await client.lookup.discover(.with { $0.phones = Array(numbers[start..<end]) })
                } catch let error as RPCError where error.code == .resourceExhausted && start > 0 {
                    let progress = "stopped after \(start) of \(numbers.count) numbers, \(answer.found.count) found"
                    FileHandle.standardError.write(Data("cardex: \(progress)\n".utf8))
                    throw error
                }
                // Found numbers show batch by batch, so a run the budget stops keeps what it found.
                if !options.json {
                    for person in page.found { print(Self.describe(person)) }
                }
                answer.found += page.found
                start = end
            } while start < numbers.count
            try options.print(answer) { Self.summary(found: answer.found.count, of: numbers.count) }
        }
    }

    /// `<number>  user <id>  <name>`; without a visible name, the visible fields joined by `; `.
    static func describe(_ person: Cardex_V1_DiscoveredPerson) -> String {
        let names = person.card.fields.filter { $0.kind == .name }.map(\.value)
        let shown = names.isEmpty ? ShowCard.fieldLines(person.card, withAudience: false) : names
        let head = "\(person.phone)  user \(person.userID)"
        return shown.isEmpty ? head : head + "  " + shown.joined(separator: "; ")
    }

    /// `N of M numbers found`.
    static func summary(found: Int, of total: Int) -> String {
        "\(found) of \(total) \(total == 1 ? "number" : "numbers") found"
    }
}
