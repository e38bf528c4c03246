import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Phone numbers are the identity key: every place a number enters reads it the one way
/// (libphonenumber, the server's default region US, the tests' prefix +1555).
@Suite("Phone numbers at the server")
struct PhoneNumberTests {
    /// No country has +999; a negative number; +1 556 is an area code no one was given and is not
    /// under the test prefix; letters.
    static let notNumbers = ["+999123456789", "-15551234567", "+15561234567", "+1 650 FLOWERS"]

    @Test("a national number with the trunk 1 is the +1 number, not +11…")
    func nationalWithTrunkPrefix() async throws {
        try await withCardex { server in
            let (_, me) = try await server.signIn("1 555 010 0001")
            #expect(me.phone == "+15550100001")
        }
    }

    @Test("a number that is not one is INVALID_ARGUMENT at registration, on a card, in a share and in a lookup; no code is sent")
    func refusedEverywhere() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550100002")
            let before = server.notifier.delivered.count
            for phone in Self.notNumbers {
                await expectRPCError(.invalidArgument) {
                    try await server.client().registration.requestCode(
                        .with {
                            $0.phone = phone
                            $0.purpose = .register
                        })
                }
                await expectRPCError(.invalidArgument) {
                    try await client.cards.setCard(.with { $0.card.fields = [CardTests.field(.phone, phone, .contacts)] })
                }
                await expectRPCError(.invalidArgument) {
                    try await client.shares.shareCard(.with { $0.recipients = [.with { $0.phone = phone }] })
                }
                await expectRPCError(.invalidArgument) { try await client.lookup.lookup(.with { $0.phone = phone }) }
            }
            // A code requested after them is the first message since: none went to those numbers.
            _ = try await server.client().registration.requestCode(
                .with {
                    $0.phone = "+15550100003"
                    $0.purpose = .register
                })
            _ = try await server.notifier.code(for: "+15550100003", amongDeliveredAfter: before)
            #expect(server.notifier.delivered.dropFirst(before).map(\.recipient) == ["+15550100003"])
        }
    }

    @Test("an address book keeps numbers that are not valid as typed")
    func bookKeepsInvalidNumbers() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550100004")
            let phones = ["+1 650 253 0000"] + Self.notNumbers
            _ = try await client.book.updateBook(.with { $0.upserts = [ExchangeTests.entry("1", "Mixed", phones)] })
            let page = try await client.book.downloadBook(.with { _ in })
            #expect(page.entries.map(\.phones) == [phones])
        }
    }
}
