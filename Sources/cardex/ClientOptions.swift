import ArgumentParser
import CardexClient
import Foundation
import FramedRPC
import SwiftProtobuf

/// Options every client command takes.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server as host:port (default: the profile's, else localhost:50051).") var server: String?
    @Option(help: "PEM file of the authority to trust (default: the profile's, else ./cardex-data/dev-ca.pem if present).")
    var ca: String?
    @Option(help: "Profile file (default: $CARDEX_PROFILE or ~/.config/cardex/profile.json).") var profile = Profile.defaultPath
    @Flag(help: "Print the answer as JSON.") var json = false

    /// The stored profile with the command line's overrides applied.
    func resolvedProfile() throws -> Profile {
        var profile = try Profile.load(from: self.profile) ?? Profile(host: "localhost", port: 50051)
        if let server {
            guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]) else {
                throw ValidationError("--server must be host:port, such as localhost:50051")
            }
            profile.host = String(server[..<colon])
            profile.port = port
        }
        if let ca {
            profile.trustRootsPath = ca
        } else if profile.trustRootsPath == nil, FileManager.default.fileExists(atPath: "cardex-data/dev-ca.pem") {
            profile.trustRootsPath = URL(fileURLWithPath: "cardex-data/dev-ca.pem").path
        }
        return profile
    }

    /// A client for the profile's server, with its session if it has one.
    func client(_ profile: Profile) throws -> CardexClient {
        try CardexClient(host: profile.host, port: profile.port, trustRootsPath: profile.trustRootsPath, token: profile.token)
    }

    /// A client that must have a session.
    func signedInClient() throws -> (CardexClient, Profile) {
        let profile = try resolvedProfile()
        guard profile.token != nil else {
            throw CLIError("not signed in: run `cardex register <phone>` and `cardex verify <phone> <code>` first")
        }
        return (try client(profile), profile)
    }

    /// Prints `message` as JSON with --json, else `human`.
    func print(_ message: some SwiftProtobuf.Message, human: () -> String) throws {
        if json {
            var options = JSONEncodingOptions()
            options.alwaysPrintEnumsAsInts = false
            Swift.print(try message.jsonString(options: options))
        } else {
            Swift.print(human())
        }
    }
}

extension ClientOptions {
    /// Runs a command's `body` with a client holding the profile's session, then closes the
    /// client; RPC errors become a short message and exit code 1.
    func withSignedInClient(_ body: (CardexClient) async throws -> Void) async throws {
        try await runClientCommand { try await using(try signedInClient().0, body) }
    }

    /// As ``withSignedInClient(_:)``, for a command that needs no session: the client sends none
    /// (a stale one in the profile would make the call fail).
    func withClient(_ body: (CardexClient) async throws -> Void) async throws {
        try await runClientCommand {
            var profile = try resolvedProfile()
            profile.token = nil
            try await using(try client(profile), body)
        }
    }

    /// Runs `body` with `client`, then closes it.
    private func using(_ client: CardexClient, _ body: (CardexClient) async throws -> Void) async throws {
        do {
            try await body(client)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }
}

/// Runs a client command, turning RPC errors into a short message and exit code 1; a
/// RESOURCE_EXHAUSTED status that says when to retry adds how long to wait.
func runClientCommand(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as RPCError {
        var message = "cardex: \(error.code): \(error.message)"
        if error.code == .resourceExhausted, let seconds = error.retryAfterSeconds {
            message += " (try again in \(RPCError.describeWait(seconds: seconds)))"
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        throw ExitCode.failure
    }
}

/// A command failed for a reason the person can fix; printed without the usage text.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
