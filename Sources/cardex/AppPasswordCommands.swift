import ArgumentParser
import CardexProto
import Foundation

/// `cardex app-password create --device NAME`: a password for a contacts app (CardDAV).
struct AppPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app-password",
        abstract: "Make a password for a contacts app that speaks CardDAV.",
        discussion: """
            Each app gets its own password, shown once. `cardex sessions` lists them beside the \
            signed-in devices; `cardex sessions --revoke <id>` ends one.
            """,
        subcommands: [CreateAppPassword.self])
}

struct CreateAppPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make an app password, shown once, with the user name to give the app.")

    @Option(help: "The app it is for, as you will recognise it in `cardex sessions` (\"Contacts on Mac\").")
    var device: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.account.createAppPassword(.with { $0.deviceName = device })
            try options.print(answer) {
                """
                user name: \(answer.username)
                password:  \(answer.password)
                (shown once; session \(answer.session.sessionID))
                """
            }
        }
    }
}
