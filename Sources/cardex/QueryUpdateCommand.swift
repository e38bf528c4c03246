import ArgumentParser
import CardexProto

/// `cardex query-update <item>…`: whether the cards I hold of chosen people are current.
struct QueryUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query-update",
        abstract: "Ask whether the cards I hold of some people are current; get the new fields of those that are not.",
        discussion: """
            Each item is USER_ID_OR_PHONE[@ETAG], with the etag of the card I hold (none: I hold nothing), \
            or PHONE=LOCAL NAME, the number and the name I keep it under: if the number now belongs to \
            someone else, a person of that name who changed number is found.
            One line per item: NOT_MODIFIED, UPDATED (user, version, etag, then the fields I may see) or NO_RESULT.
            Example: cardex query-update +12015550187@3f2a… '+12015550123=Ada Lovelace'
            """)

    @Argument(help: ArgumentHelp("At most 1,000 items.", valueName: "item")) var items: [QueryItemArgument]
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if items.isEmpty { throw ValidationError("name at least one item: a user id or phone number, or PHONE=NAME") }
    }

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.sync.queryUpdate(.with { $0.items = items.map(\.item) })
            try options.print(answer) {
                zip(items, answer.answers).map { item, answer in "\(item.text): " + Self.describe(answer) }.joined(separator: "\n")
            }
        }
    }

    /// `NOT_MODIFIED`, `NO_RESULT`, or `UPDATED user <id> version N etag E[, number changed]` and
    /// the fields, indented.
    static func describe(_ answer: Cardex_V1_QueryAnswer) -> String {
        switch answer.result {
        case .notModified: return "NOT_MODIFIED"
        case .updated:
            let card = answer.card
            let head =
                "UPDATED user \(card.userID) version \(card.version.version) etag \(card.version.etag)"
                + (answer.numberChanged ? ", number changed" : "")
            return ([head] + ShowCard.fieldLines(card.card, withAudience: false).map { "  " + $0 }).joined(separator: "\n")
        case .noResult, .unspecified, .UNRECOGNIZED: return "NO_RESULT"
        }
    }
}
