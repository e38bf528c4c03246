import ArgumentParser
import CardexProto

/// `cardex card set|show`.
struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card", abstract: "Set or show contact cards.", subcommands: [SetCard.self, ShowCard.self])
}

/// `cardex card set FIELD…`: replaces my card.
struct SetCard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Replace my card with the given fields.",
        discussion: """
            Each field is KIND[:LABEL]=VALUE[|AUDIENCE].
            KIND: \(CardFieldArgument.kindNames.joined(separator: ", ")).
            AUDIENCE: everyone, contacts, only-me (the default), groups:ID,ID… or people:USER-ID,USER-ID…
            Example: cardex card set 'name=Ada Lovelace|everyone' 'phone:mobile=+12015550123|contacts' 'email=ada@example.com'
            """)

    @Argument(help: "The fields, in order.") var fields: [CardFieldArgument]
    @Option(help: "Replace only if the stored card still has this etag.") var ifMatch: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.cards.setCard(
                .with {
                    $0.card.fields = fields.map(\.field)
                    if let ifMatch { $0.ifMatchEtag = ifMatch }
                })
            try options.print(answer) {
                answer.changed
                    ? "card saved as version \(answer.version.version) (etag \(answer.version.etag))" : "card unchanged (version \(answer.version.version))"
            }
        }
    }
}

/// `cardex card show [<user-id|phone>]`.
struct ShowCard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show my card with its audiences, or someone's card as I may see it.")

    @Argument(help: "A user id or phone number; none shows my own card.") var person: PersonArgument?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            guard let person else {
                let answer = try await client.cards.getMyCard(.init())
                try options.print(answer) { Self.describe(answer.card, version: answer.version, withAudience: true) }
                return
            }
            let answer = try await client.cards.getCard(
                .with {
                    if person.isUserID { $0.userID = person.text } else { $0.phone = person.text }
                })
            try options.print(answer) { "user \(answer.userID)\n" + Self.describe(answer.card, version: answer.version, withAudience: false) }
        }
    }

    static func describe(_ card: Cardex_V1_Card, version: Cardex_V1_CardVersion, withAudience: Bool) -> String {
        guard version.version > 0 else { return "no card yet: set one with `cardex card set`" }
        return (fieldLines(card, withAudience: withAudience) + ["version \(version.version), etag \(version.etag)"]).joined(separator: "\n")
    }

    /// One `kind (label): value` line per field, with `  [audience]` if `withAudience`.
    static func fieldLines(_ card: Cardex_V1_Card, withAudience: Bool) -> [String] {
        card.fields.map { field in
            let kind = CardFieldArgument.name(of: field.kind)
            let label = field.label.isEmpty ? "" : " (\(field.label))"
            let audience = withAudience ? "  [\(CardFieldArgument.describe(field.audience))]" : ""
            return "\(kind)\(label): \(field.value)\(audience)"
        }
    }
}
