import ArgumentParser
import CardexProto
import FramedRPC

/// `cardex lookup <phone>`: who has this number, as I may see them (caller ID).
struct LookupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Show who has a phone number: their user id, the number and the card fields I may see.",
        discussion: """
            Only people I may see are found (a public field, an accepted share, a mutual contact or a \
            common group); anyone else, and a number nobody registered, is not found, with exit code 1. \
            Each number new to me costs one token of my lookup budget; when it is spent the command says \
            how long to wait.
            Example: cardex lookup +12015550123
            """)

    @Argument(help: "The number: E.164, or a national number of the server's default region.") var phone: String
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if phone.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("name a phone number, such as +12015550123") }
    }

    func run() async throws {
        let phone = phone.trimmingCharacters(in: .whitespaces)
        try await options.withSignedInClient { client in
            let answer: Cardex_V1_LookupResponse
            do {
                answer = try await client.lookup.lookup(.with { $0.phone = phone })
            } catch let error as RPCError where error.code == .notFound {
                throw CLIError("no one you may see has \(phone)")
            }
            try options.print(answer) { Self.describe(answer) }
        }
    }

    /// `user <id>  <number>`, then the fields and version as `cardex card show` prints them.
    static func describe(_ answer: Cardex_V1_LookupResponse) -> String {
        "user \(answer.userID)  \(answer.phone)\n" + ShowCard.describe(answer.card, version: answer.version, withAudience: false)
    }
}
