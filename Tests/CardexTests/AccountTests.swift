import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

@Suite("Accounts")
struct AccountTests {
    @Test("settings start private and change one at a time")
    func settings() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550000041")
            let initial = try await client.account.getAccount(.init()).settings
            #expect(initial.cloudAddressBook && !initial.autoSendCard && initial.discoverableBy == .contacts)
            let changed = try await client.account.updateSettings(
                .with {
                    $0.autoSendCard = true
                    $0.discoverableBy = .nobody
                })
            #expect(changed.settings.cloudAddressBook && changed.settings.autoSendCard && changed.settings.discoverableBy == .nobody)
            let off = try await client.account.updateSettings(.with { $0.cloudAddressBook = false })
            #expect(!off.settings.cloudAddressBook && off.settings.autoSendCard && off.settings.discoverableBy == .nobody)
        }
    }

    @Test("deleting an account leaves no row that names it or its number")
    func deleteAccount() async throws {
        try await withCardex(configure: { $0.lookup.flushInterval = .milliseconds(50) }) { server in
            let phone = "+15550000042"
            let (client, me) = try await server.signIn(phone, device: "one")
            let (other, _) = try await server.signIn(phone, device: "two")
            _ = try await other.account.getAccount(.init())  // its session is now in the server's cache
            _ = try await client.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Gone", .everyone)] })
            _ = try await client.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Gone soon", .everyone)] })
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = "+15550000043"
                    $0.purpose = .changeNumber
                })

            // The inspector finds what is there: the account's rows name it, before the deletion.
            #expect(try await StoreInspector(server).tablesMentioning(me.userID).contains("users"))
            await expectRPCError(.failedPrecondition) { try await client.account.deleteAccount(.with { $0.confirmPhone = "+15550000099" }) }
            // A lookup just before: its budget and the number it paid for are not saved yet.
            await expectRPCError(.notFound) { try await client.lookup.lookup(.with { $0.phone = "+15550000044" }) }
            _ = try await client.account.deleteAccount(.with { $0.confirmPhone = phone })
            try await Task.sleep(for: .milliseconds(300))  // budget saves have run since

            let inspector = try StoreInspector(server)
            let left = try await inspector.tablesMentioning(me.userID)
            #expect(left == [])
            #expect(try await inspector.tablesMentioning(phone) == [])
            #expect(try await inspector.tablesMentioning("+15550000043") == [])
            await expectRPCError(.unauthenticated) { try await client.account.getAccount(.init()) }
            await expectRPCError(.unauthenticated) { try await other.account.getAccount(.init()) }
        }
    }
}
