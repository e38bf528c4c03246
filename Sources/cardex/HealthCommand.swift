import ArgumentParser
import Foundation
import FramedRPC
import FramedRPCHealth

/// `cardex health`: asks a server's `framedrpc.health.v1.Health` whether it serves (no session
/// needed), for operators and for a load balancer's external check.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the server whether it serves (no sign-in needed); exit 0 only when it does.",
        discussion: """
            Prints SERVING, NOT_SERVING (the server is stopping, or cannot reach its database) or UNKNOWN; exits 1 unless \
            SERVING. --service asks about one service, such as cardex.v1.CardService.
            """)

    @Option(help: ArgumentHelp("A service's full name (default: the server as a whole).", valueName: "name")) var service = ""
    @OptionGroup var options: ClientOptions

    func run() async throws {
        var serving = false
        try await options.withClient { client in
            let answer = try await Framedrpc_Health_V1_Health.Client(wrapping: client.rpc).check(.with { $0.service = service })
            serving = answer.status == .serving
            try options.print(answer) {
                switch answer.status {
                case .serving: "SERVING"
                case .notServing: "NOT_SERVING"
                case .serviceUnknown, .unknown, .UNRECOGNIZED: "UNKNOWN"
                }
            }
        }
        if !serving { throw ExitCode.failure }
    }
}
