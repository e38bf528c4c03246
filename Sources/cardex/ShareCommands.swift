import ArgumentParser
import CardexProto

/// `cardex share <recipient>…`: shares my card, or some of its fields.
struct ShareCard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share my card with people (they accept or decline), or with everyone.",
        discussion: """
            A recipient is a user id or a phone number; a number not registered yet gets an invitation and \
            receives the share when it registers. Fields whose audience is only-me are never shared.
            Example: cardex share +12015550187 --field name --field phone:mobile
            """)

    @Argument(help: "User ids or phone numbers.") var recipients: [PersonArgument] = []
    @Option(
        name: .customLong("field"),
        help: ArgumentHelp(
            "A field to share, KIND[:LABEL] (KIND: \(CardFieldArgument.kindNames.joined(separator: ", "))); repeat for more. None shares the whole card.",
            valueName: "kind[:label]"))
    var fields: [FieldSelectorArgument] = []
    @Flag(help: "Share with everyone signed in instead of named people; no one is asked to accept.") var everyone = false
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if everyone, !recipients.isEmpty { throw ValidationError("name recipients or pass --everyone, not both") }
        if !everyone, recipients.isEmpty { throw ValidationError("name at least one recipient (a phone number or user id), or pass --everyone") }
    }

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.shareCard(
                .with {
                    $0.recipients = recipients.map(\.person)
                    $0.everyone = everyone
                    $0.fields = fields.map(\.selector)
                })
            let names = everyone ? ["everyone"] : recipients.map { PersonArgument.describe($0.person) }
            try options.print(answer) {
                zip(answer.shareIds, names).map { id, name in "share \(id) with \(name)" }.joined(separator: "\n")
            }
        }
    }
}

/// `cardex shares`: what I shared, and whether it was accepted.
struct ListShares: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shares", abstract: "List the shares of my card, newest first, and whether each was accepted.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.listShares(.init())
            try options.print(answer) {
                guard !answer.shares.isEmpty else { return "no shares: share my card with `cardex share <phone>`" }
                return answer.shares.map { share in
                    let recipient = share.hasRecipient ? PersonArgument.describe(share.recipient) : "everyone"
                    let fields = share.fields.isEmpty ? "whole card" : share.fields.map(FieldSelectorArgument.describe).joined(separator: ", ")
                    return "\(share.shareID)  \(recipient)  \(fields)  \(Self.describe(share.status))"
                }.joined(separator: "\n")
            }
        }
    }

    /// Pending and declined look the same to the sender.
    static func describe(_ status: Cardex_V1_ShareStatus) -> String {
        switch status {
        case .accepted: "accepted"
        case .public: "public"
        case .notAccepted, .unspecified, .UNRECOGNIZED: "not accepted"
        }
    }
}

/// `cardex revoke <share-id>`: withdraws a share.
struct RevokeShare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Withdraw a share: the recipient no longer sees its fields or gets new versions.")

    @Argument(help: "The share's id, from `cardex shares`.") var shareID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.revokeShare(.with { $0.shareID = shareID })
            try options.print(answer) { "share \(shareID) revoked" }
        }
    }
}
