import ArgumentParser
import CardexProto
import Foundation

/// `cardex inbox`: shares waiting for my answer.
struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the shares waiting for my answer, oldest first, with what accepting each gives me.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.listInbox(.init())
            try options.print(answer) {
                guard !answer.items.isEmpty else { return "no shares waiting for your answer" }
                return answer.items.map { item in
                    let received = Date(timeIntervalSince1970: Double(item.receivedAtMs) / 1000).formatted(.iso8601)
                    let fields = ShowCard.fieldLines(item.shared.card, withAudience: false).map { "  " + $0 }
                    return (["\(item.itemID)  from user \(item.shared.userID)  received \(received)"] + fields).joined(separator: "\n")
                }.joined(separator: "\n")
                    + "\nanswer with `cardex accept <id>` or `cardex decline <id>`"
            }
        }
    }

    /// `user <id>` and the card's fields, as `cardex card show <person>` prints them.
    static func describe(_ shared: Cardex_V1_SharedCard) -> String {
        "user \(shared.userID)\n" + ShowCard.describe(shared.card, version: shared.version, withAudience: false)
    }
}

/// `cardex accept <item-id>`: the card enters my address book.
struct AcceptShare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Accept a share from my inbox: the card enters my address book and stays up to date.")

    @Argument(help: "The item's id, from `cardex inbox`.") var itemID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.acceptShare(.with { $0.itemID = itemID })
            try options.print(answer) { "accepted; in your address book now:\n" + Inbox.describe(answer.card) }
        }
    }
}

/// `cardex decline <item-id>`: removes a share from my inbox; the sender is not told.
struct DeclineShare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline", abstract: "Decline a share from my inbox (the sender is not told).")

    @Argument(help: "The item's id, from `cardex inbox`.") var itemID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.declineShare(.with { $0.itemID = itemID })
            try options.print(answer) { "item \(itemID) declined" }
        }
    }
}

/// `cardex contacts`: the cards in my address book that came from accepted shares.
struct Contacts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the cards shared with me that I accepted, as I may see them now.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.shares.listSharedWithMe(.init())
            try options.print(answer) {
                guard !answer.cards.isEmpty else { return "no cards shared with you yet: accept one from `cardex inbox`" }
                return answer.cards.map(Inbox.describe).joined(separator: "\n\n")
            }
        }
    }
}
