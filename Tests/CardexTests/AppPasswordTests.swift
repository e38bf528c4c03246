import CardexClient
import CardexCore
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

@Suite("App passwords")
struct AppPasswordTests {
    @Test("an app password is a session of its own: listed, shown once, refused for RPC calls, revocable")
    func createListRevoke() async throws {
        try await withCardex { server in
            let (phone, signedIn) = try await server.signIn("+15550000061", device: "phone")
            let made = try await phone.account.createAppPassword(.with { $0.deviceName = "Contacts on Mac" })
            #expect(made.username == signedIn.phone)
            #expect(made.password.wholeMatch(of: /[a-z2-7]{4}(-[a-z2-7]{4}){4}/) != nil)
            #expect(made.session.kind == .appPassword && made.session.deviceName == "Contacts on Mac" && !made.session.current)

            let sessions = try await phone.account.listSessions(.init()).sessions
            #expect(sessions.map(\.deviceName) == ["phone", "Contacts on Mac"])
            #expect(sessions.map(\.kind) == [.device, .appPassword])

            // The server keeps the password's characters hashed: as a bearer token (dashes left
            // out, as an app may send it) it is found, and refused because it is for CardDAV.
            let characters = try #require(AppPassword(typed: made.password)).characters
            let asBearer = try server.client(token: characters)
            let refused = await expectRPCError(.unauthenticated) { try await asBearer.account.getAccount(.init()) }
            #expect(refused?.message.contains("CardDAV only") == true, "\(String(describing: refused))")
            let another = try await phone.account.createAppPassword(.with { $0.deviceName = "Thunderbird" })
            #expect(another.password != made.password)

            _ = try await phone.account.revokeSession(.with { $0.sessionID = made.session.sessionID })
            let revoked = await expectRPCError(.unauthenticated) { try await asBearer.account.getAccount(.init()) }
            #expect(revoked?.message.contains("not valid") == true, "\(String(describing: revoked))")
            #expect(try await phone.account.listSessions(.init()).sessions.map(\.deviceName) == ["phone", "Thunderbird"])
        }
    }

    @Test("a bad device name and the per-person limit are refused, and make nothing")
    func badNameAndLimit() async throws {
        try await withCardex(configure: { $0.registration.maxAppPasswords = 2 }) { server in
            let (phone, _) = try await server.signIn("+15550000062", device: "phone")
            await expectRPCError(.invalidArgument) { try await phone.account.createAppPassword(.with { $0.deviceName = "" }) }
            await expectRPCError(.invalidArgument) {
                try await phone.account.createAppPassword(.with { $0.deviceName = String(repeating: "x", count: 101) })
            }
            for name in ["one", "two"] { _ = try await phone.account.createAppPassword(.with { $0.deviceName = name }) }
            let refused = await expectRPCError(.resourceExhausted) {
                try await phone.account.createAppPassword(.with { $0.deviceName = "three" })
            }
            #expect(refused?.message.contains("at most 2 app passwords") == true, "\(String(describing: refused))")
            #expect(try await phone.account.listSessions(.init()).sessions.map(\.deviceName) == ["phone", "one", "two"])
        }
    }

    @Test("without a session there is no app password")
    func needsSession() async throws {
        try await withCardex { server in
            let anonymous = try server.client()
            await expectRPCError(.unauthenticated) { try await anonymous.account.createAppPassword(.with { $0.deviceName = "x" }) }
        }
    }
}
