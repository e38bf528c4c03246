import ArgumentParser
import CardexProto
import Foundation

/// `cardex sessions`: lists my device and app-password sessions, or revokes one.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List my signed-in devices and app passwords, or revoke one with --revoke <id>.")

    @Option(help: "End this session (an id from the list).") var revoke: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            if let revoke {
                let answer = try await client.account.revokeSession(.with { $0.sessionID = revoke })
                try options.print(answer) { "session \(revoke) revoked" }
                return
            }
            let answer = try await client.account.listSessions(.init())
            try options.print(answer) {
                answer.sessions.map { session in
                    let created = Date(timeIntervalSince1970: Double(session.createdAtMs) / 1000).formatted(.iso8601)
                    let made = session.kind == .appPassword ? "app password made" : "signed in"
                    return "\(session.current ? "*" : " ") \(session.sessionID)  \(session.deviceName)  \(made) \(created)"
                }.joined(separator: "\n")
            }
        }
    }
}

/// `cardex logout`: ends this device's session and forgets it.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "End this device's session.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await runClientCommand {
            let (client, signedIn) = try options.signedInClient()
            var profile = signedIn
            defer { Task { await client.close() } }
            let answer = try await client.account.logout(.init())
            profile.token = nil
            try profile.save(to: options.profile)
            try options.print(answer) { "signed out" }
        }
    }
}
