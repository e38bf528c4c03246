import ArgumentParser

/// The `cardex` command: the server (`cardex serve`) and a client that drives every call as a
/// person would.
@main
struct Cardex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cardex",
        abstract: "Cardex: a cloud address book with consent-based contact sharing.",
        discussion: """
            Start a development server with `cardex serve`, then sign in with `cardex register <phone>` \
            and `cardex verify <phone> <code>` (in development the code is in cardex-data/notifications.log).
            """,
        subcommands: [
            Serve.self, Register.self, Verify.self, CardCommand.self, ShareCard.self, ListShares.self, RevokeShare.self,
            Inbox.self, AcceptShare.self, DeclineShare.self, Contacts.self, GroupCommand.self, Watch.self, Settings.self,
            BookCommand.self, SyncCommand.self, QueryUpdateCommand.self, LookupCommand.self, DiscoverCommand.self,
            Sessions.self, AppPasswordCommand.self, Logout.self, Health.self,
        ])
}
