import CardexClient
import CardexProto
import Foundation
import FramedRPC
import FramedRPCTestSupport
import Testing

@Suite("Registration")
struct RegistrationTests {
    @Test("the first verification creates the account; a second device logs in to the same one")
    func registerThenLoginOnSecondDevice() async throws {
        // Over TLS: the sign-in as a device makes it, end to end.
        try await withCardex(transport: .tls) { server in
            let (phone, first) = try await server.signIn("+15550000001", device: "phone")
            #expect(first.created)
            #expect(!first.sessionToken.isEmpty && first.sessionToken.count >= 22)  // ≥ 128 bits in base64url
            let (tablet, second) = try await server.signIn("(555) 000-0001", device: "tablet")
            #expect(!second.created)
            #expect(second.userID == first.userID)
            #expect(second.sessionToken != first.sessionToken)

            let sessions = try await tablet.account.listSessions(.init()).sessions
            #expect(sessions.map(\.deviceName) == ["phone", "tablet"])
            #expect(sessions.map(\.current) == [false, true])
            #expect(try await phone.account.getAccount(.init()).phone == "+15550000001")
        }
    }

    @Test("five wrong codes void the code: even the right one is refused after that")
    func wrongCodesVoidTheCode() async throws {
        try await withCardex { server in
            let client = try server.client()
            let phone = "+15550000002"
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = .register
                })
            let code = try await server.notifier.code(for: phone)
            let wrong = code == "000000" ? "111111" : "000000"
            for remaining in (0..<5).reversed() {
                let error = await expectRPCError(.permissionDenied) {
                    try await client.registration.verifyCode(
                        .with {
                            $0.phone = phone
                            $0.code = wrong
                            $0.purpose = .register
                        })
                }
                #expect(error?.message.contains(remaining > 0 ? "\(remaining) tries left" : "void") == true)
            }
            await expectRPCError(.permissionDenied) {
                try await client.registration.verifyCode(
                    .with {
                        $0.phone = phone
                        $0.code = code
                        $0.purpose = .register
                    })
            }
        }
    }

    @Test("a code is refused after 10 minutes and after it was used once")
    func expiredAndUsedCodes() async throws {
        try await withCardex { server in
            let client = try server.client()
            let phone = "+15550000003"
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = .register
                })
            let code = try await server.notifier.code(for: phone)
            server.clock.advance(by: 601)
            await expectRPCError(.permissionDenied) {
                try await client.registration.verifyCode(
                    .with {
                        $0.phone = phone
                        $0.code = code
                        $0.purpose = .register
                    })
            }

            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = .register
                })
            let fresh = try await server.notifier.code(for: phone, after: 1)
            server.clock.advance(by: 599)
            _ = try await client.registration.verifyCode(
                .with {
                    $0.phone = phone
                    $0.code = fresh
                    $0.purpose = .register
                })
            await expectRPCError(.permissionDenied) {
                try await client.registration.verifyCode(
                    .with {
                        $0.phone = phone
                        $0.code = fresh
                        $0.purpose = .register
                    })
            }
        }
    }

    @Test("a sixth code request within the hour is refused with a retry-after; an hour later it works")
    func resendLimitPerNumber() async throws {
        try await withCardex { server in
            let client = try server.client()
            let phone = "+15550000004"
            for _ in 0..<5 {
                _ = try await client.registration.requestCode(
                    .with {
                        $0.phone = phone
                        $0.purpose = .register
                    })
                server.clock.advance(by: 60)
            }
            let error = await expectRPCError(.resourceExhausted) {
                try await client.registration.requestCode(
                    .with {
                        $0.phone = phone
                        $0.purpose = .register
                    })
            }
            let retryInfo = try error.flatMap { try $0.details.first.map { try Cardex_V1_RetryInfo(serializedBytes: $0.value) } }
            #expect(retryInfo?.retryAfterSeconds == 3300)  // the oldest of the five requests leaves the window then
            #expect(error?.trailingMetadata.firstText("retry-after") == "3300")

            server.clock.advance(by: 3300)
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = .register
                })
        }
    }

    @Test("code requests are limited per client address across numbers")
    func resendLimitPerAddress() async throws {
        // Over TLS: the limit is per client address, which a real connection has.
        try await withCardex(transport: .tls, configure: { $0.registration.maxRequestsPerAddress = 3 }) { server in
            let client = try server.client()
            for n in 0..<3 {
                _ = try await client.registration.requestCode(
                    .with {
                        $0.phone = "+1555000010\(n)"
                        $0.purpose = .register
                    })
            }
            await expectRPCError(.resourceExhausted) {
                try await client.registration.requestCode(
                    .with {
                        $0.phone = "+15550000109"
                        $0.purpose = .register
                    })
            }
        }
    }

    @Test(
        "malformed numbers and codes are INVALID_ARGUMENT and queue nothing",
        arguments: ["", "hello", "+1 555 CALL NOW", "+0001234567", "+1234567890123456789"])
    func invalidNumbers(phone: String) async throws {
        try await withCardex { server in
            let client = try server.client()
            let error = await expectRPCError(.invalidArgument) {
                try await client.registration.requestCode(
                    .with {
                        $0.phone = phone
                        $0.purpose = .register
                    })
            }
            #expect(error?.message.contains("E.164") == true)
            await expectRPCError(.invalidArgument) {
                try await client.registration.verifyCode(
                    .with {
                        $0.phone = "+15550000005"
                        $0.code = "12ab56"
                        $0.purpose = .register
                    })
            }
            await expectRPCError(.invalidArgument) {
                try await client.registration.requestCode(.with { $0.phone = "+15550000005" })
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(server.notifier.delivered.isEmpty)
            #expect(try await StoreInspector(server).rowCount("outbox") == 0)
            #expect(try await StoreInspector(server).rowCount("verification_codes") == 0)
        }
    }

    @Test("changing the number keeps the user id and everything else, and frees the old number")
    func changeNumber() async throws {
        try await withCardex { server in
            let (client, first) = try await server.signIn("+15550000006")
            _ = try await client.cards.setCard(
                .with {
                    $0.card.fields = [
                        .with {
                            $0.kind = .name
                            $0.value = "Ada"
                            $0.audience.level = .everyone
                        }
                    ]
                })
            _ = try await client.account.updateSettings(.with { $0.discoverableBy = .everyone })
            let newPhone = "+15550000007"
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = newPhone
                    $0.purpose = .changeNumber
                })
            let code = try await server.notifier.code(for: newPhone)
            let changed = try await client.registration.verifyCode(
                .with {
                    $0.phone = newPhone
                    $0.code = code
                    $0.purpose = .changeNumber
                })
            #expect(changed.userID == first.userID)
            #expect(changed.phone == newPhone)
            #expect(try await client.account.getAccount(.init()).phone == newPhone)
            #expect(try await client.cards.getMyCard(.init()).card.fields.first?.value == "Ada")

            let (other, _) = try await server.signIn("+15550000008")
            #expect(try await other.cards.getCard(.with { $0.phone = newPhone }).userID == first.userID)
            await expectRPCError(.notFound) { try await other.cards.getCard(.with { $0.phone = "+15550000006" }) }

            let (_, reused) = try await server.signIn("+15550000006")
            #expect(reused.created)
            #expect(reused.userID != first.userID)
        }
    }

    @Test("changing to a number that has an account is ALREADY_EXISTS; without a session UNAUTHENTICATED")
    func changeNumberRefusals() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550000011")
            _ = try await server.signIn("+15550000012")
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = "+15550000012"
                    $0.purpose = .changeNumber
                })
            let code = try await server.notifier.code(for: "+15550000012", after: 1)
            await expectRPCError(.alreadyExists) {
                try await client.registration.verifyCode(
                    .with {
                        $0.phone = "+15550000012"
                        $0.code = code
                        $0.purpose = .changeNumber
                    })
            }
            await expectRPCError(.unauthenticated) {
                try await server.client().registration.requestCode(
                    .with {
                        $0.phone = "+15550000013"
                        $0.purpose = .changeNumber
                    })
            }
        }
    }
}
