import ArgumentParser
import CardexProto
import FramedRPC

/// `cardex sync [--token TOKEN | --full] [--limit N]`: the cards I hold that changed since the
/// last sync, and those I may no longer see.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Show the cards I hold that changed since the last sync, and the people whose card I may no longer see.",
        discussion: """
            Each run starts from the token the last one kept in the profile (or --token), fetches every page \
            and keeps the new token; the first run, or --full, lists every card I hold.
            Example: cardex sync --full, then later cardex sync
            """)

    @Option(help: "Start from this token (printed by an earlier sync) instead of the profile's.") var token: String?
    @Flag(help: "List every card I hold, ignoring the profile's token.") var full = false
    @Option(help: "Most cards per page (0: the server's default, 500, also the most).") var limit: UInt32 = 0
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if full, token != nil { throw ValidationError("pass --token or --full, not both") }
    }

    func run() async throws {
        try await runClientCommand {
            let (client, profile) = try options.signedInClient()
            defer { Task { await client.close() } }
            let start = full ? "" : token ?? profile.syncToken ?? ""
            var answer = Cardex_V1_SyncResponse()
            var next = start
            var more = false
            repeat {
                let page: Cardex_V1_SyncResponse
                do {
                    page = try await client.sync.sync(
                        .with {
                            $0.token = next
                            $0.limit = limit
                        })
                } catch let error as RPCError where error.code == .failedPrecondition && !next.isEmpty {
                    throw CLIError("\(error.message)\nthe token no longer works: run `cardex sync --full`")
                }
                answer.changed += page.changed
                answer.removedUserIds += page.removedUserIds
                next = page.nextToken
                more = page.more
            } while more
            answer.nextToken = next
            // Only the token is kept: --server and --ca stay one-off.
            if var stored = try Profile.load(from: options.profile) {
                stored.syncToken = next
                try stored.save(to: options.profile)
            }
            try options.print(answer) { Self.describe(answer) }
        }
    }

    /// Each changed card (`user <id>  version N`, then its fields), each removed person, then
    /// `next token: <token>`.
    static func describe(_ answer: Cardex_V1_SyncResponse) -> String {
        var lines: [String] = []
        for shared in answer.changed {
            lines.append("user \(shared.userID)  version \(shared.version.version)")
            lines += ShowCard.fieldLines(shared.card, withAudience: false).map { "  " + $0 }
        }
        lines += answer.removedUserIds.map { "removed user \($0)" }
        if lines.isEmpty { lines.append("nothing changed") }
        return (lines + ["next token: \(answer.nextToken)"]).joined(separator: "\n")
    }
}
