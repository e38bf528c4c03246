import ArgumentParser
import CardexProto

/// `cardex settings [--cloud-address-book on|off] [--auto-send on|off] [--discoverable …]`: shows
/// my account's settings, changing the ones given first.
struct Settings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show my account's settings; with options, change those first.",
        discussion: "Example: cardex settings --cloud-address-book on --discoverable contacts")

    /// `on` or `off` on the command line.
    enum Switch: String, CaseIterable, ExpressibleByArgument {
        case on, off
    }

    /// Who may find me by my number, on the command line.
    enum Discoverable: String, CaseIterable, ExpressibleByArgument {
        case everyone, contacts, nobody

        /// The value UpdateSettings takes.
        var proto: Cardex_V1_Discoverability {
            switch self {
            case .everyone: .everyone
            case .contacts: .contacts
            case .nobody: .nobody
            }
        }
    }

    @Option(help: ArgumentHelp("Keep my address book in the cloud and receive shares into it.", valueName: "on|off"))
    var cloudAddressBook: Switch?
    @Option(help: ArgumentHelp("Send my card to the people I add.", valueName: "on|off")) var autoSend: Switch?
    @Option(help: ArgumentHelp("Who may find me by my number.", valueName: "everyone|contacts|nobody"))
    var discoverable: Discoverable?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer =
                if cloudAddressBook == nil, autoSend == nil, discoverable == nil {
                    try await client.account.getAccount(.init())
                } else {
                    try await client.account.updateSettings(
                        .with {
                            if let cloudAddressBook { $0.cloudAddressBook = cloudAddressBook == .on }
                            if let autoSend { $0.autoSendCard = autoSend == .on }
                            if let discoverable { $0.discoverableBy = discoverable.proto }
                        })
                }
            try options.print(answer) { Self.describe(answer.settings) }
        }
    }

    /// One `setting: value` line each, named as the options name them.
    static func describe(_ settings: Cardex_V1_AccountSettings) -> String {
        """
        cloud address book: \(settings.cloudAddressBook ? "on" : "off")
        auto-send: \(settings.autoSendCard ? "on" : "off")
        discoverable: \(describe(settings.discoverableBy))
        """
    }

    /// The option's value for `discoverability`; `not set` for a value this cardex does not know.
    static func describe(_ discoverability: Cardex_V1_Discoverability) -> String {
        switch discoverability {
        case .everyone: "everyone"
        case .contacts: "contacts"
        case .nobody: "nobody"
        case .unspecified, .UNRECOGNIZED: "not set"
        }
    }
}
