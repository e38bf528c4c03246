import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

@Suite("Sessions")
struct SessionTests {
    @Test("every call but code request and verification needs a valid token")
    func callsWithoutTokenAreRefused() async throws {
        try await withCardex { server in
            let anonymous = try server.client()
            await expectRPCError(.unauthenticated) { try await anonymous.cards.getMyCard(.init()) }
            await expectRPCError(.unauthenticated) { try await anonymous.account.listSessions(.init()) }
            await expectRPCError(.unauthenticated) { try await anonymous.account.getAccount(.init()) }

            let forged = try server.client(token: SessionTokenText.random)
            await expectRPCError(.unauthenticated) { try await forged.cards.getMyCard(.init()) }
            let malformed = try server.client()
            await expectRPCError(.unauthenticated) {
                try await malformed.rpc.unary(
                    Cardex_V1_CardService.Method.GetMyCard.descriptor, request: Cardex_V1_GetMyCardRequest(),
                    responseType: Cardex_V1_GetMyCardResponse.self, metadata: ["authorization": "Basic dXNlcjpwYXNz"])
            }
        }
    }

    @Test("logout and revocation end a session at once; the other device carries on")
    func logoutAndRevoke() async throws {
        try await withCardex { server in
            let (phone, _) = try await server.signIn("+15550000021", device: "phone")
            let (laptop, _) = try await server.signIn("+15550000021", device: "laptop")
            let (tablet, _) = try await server.signIn("+15550000021", device: "tablet")
            // Each device makes a call first, so its session is in the server's session cache.
            for device in [phone, laptop, tablet] { _ = try await device.account.getAccount(.init()) }

            _ = try await laptop.account.logout(.init())
            await expectRPCError(.unauthenticated) { try await laptop.cards.getMyCard(.init()) }

            let sessions = try await phone.account.listSessions(.init()).sessions
            #expect(sessions.map(\.deviceName) == ["phone", "tablet"])
            let tabletID = try #require(sessions.first { $0.deviceName == "tablet" }?.sessionID)
            _ = try await phone.account.revokeSession(.with { $0.sessionID = tabletID })
            await expectRPCError(.unauthenticated) { try await tablet.account.getAccount(.init()) }
            _ = try await phone.account.getAccount(.init())
        }
    }

    @Test("a device whose session ended signs in again without forgetting its token first")
    func staleTokenSignsInAgain() async throws {
        try await withCardex { server in
            let (device, _) = try await server.signIn("+15550000031")
            _ = try await device.account.logout(.init())
            await expectRPCError(.unauthenticated) { try await device.account.getAccount(.init()) }
            // The client still sends its ended session's token: the open methods run without it.
            let before = server.notifier.delivered.count
            _ = try await device.registration.requestCode(
                .with {
                    $0.phone = "+15550000031"
                    $0.purpose = .login
                })
            let code = try await server.notifier.code(for: "+15550000031", amongDeliveredAfter: before)
            let verified = try await device.registration.verifyCode(
                .with {
                    $0.phone = "+15550000031"
                    $0.code = code
                    $0.purpose = .login
                    $0.deviceName = "again"
                })
            #expect(!verified.sessionToken.isEmpty)
            // A number change still needs a live session, stale token or not.
            await expectRPCError(.unauthenticated) {
                try await device.registration.requestCode(
                    .with {
                        $0.phone = "+15550000032"
                        $0.purpose = .changeNumber
                    })
            }
        }
    }

    @Test("a person cannot revoke someone else's session")
    func foreignSession() async throws {
        try await withCardex { server in
            let (alice, _) = try await server.signIn("+15550000022")
            let (bob, _) = try await server.signIn("+15550000023")
            let bobSession = try #require(try await bob.account.listSessions(.init()).sessions.first?.sessionID)
            await expectRPCError(.notFound) { try await alice.account.revokeSession(.with { $0.sessionID = bobSession }) }
            _ = try await bob.account.getAccount(.init())
        }
    }
}

enum SessionTokenText {
    static var random: String {
        String((0..<43).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".randomElement()! })
    }
}
