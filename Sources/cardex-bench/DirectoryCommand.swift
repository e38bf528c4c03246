import ArgumentParser
import CardexClient
import CardexCore
import CardexProto
import CardexServer
import Foundation
import FramedRPC

/// `cardex-bench directory`: one member fetching the directory of a large group.
///
/// Seeds `--members` accounts with cards straight into the store (`seedAccounts` of either store:
/// joining through RPC would push every join to every member, O(N²) events), then signs a reader
/// in through RegistrationService, creates the group and invites the reader through
/// GroupService, and times GetDirectory over TLS from the call to the decoded answer. Prints one
/// JSON line per run and a summary.
struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Time for one member to fetch the directory of an N-member group.")

    @Option(help: "Members of the group besides the reader.") var members = 5000
    @Option(help: "Measured directory fetches.") var runs = 9
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let server = try await BenchServer.start(store: store)
        let session = server.clients
        let owner = try await session.signIn("+15559100000")
        let reader = try await session.signIn("+15559100001")
        let group = try await owner.groups.createGroup(.with { $0.name = "Large group" })
        _ = try await owner.groups.invite(
            .with {
                $0.groupID = group.groupID
                $0.invitees = [.with { $0.person.phone = "+15559100001" }]
            })
        let invitation = try await reader.groups.listInvitations(.init()).invitations[0]
        _ = try await reader.groups.acceptInvitation(.with { $0.invitationID = invitation.invitationID })

        let seedStart = ContinuousClock.now
        let groupID = group.groupID
        let members = members
        try await BenchStore.with(server.configuration) { store in
            let population = SeedPopulation(phonePrefix: "+1556", digits: 7, card: { index in Self.card(index, group: groupID) })
            for start in stride(from: 0, to: members, by: 1000) {
                let ids = try await store.seedAccounts(start..<min(start + 1000, members), of: population, now: Date())
                try await store.seedMembers(ids, of: groupID, now: Date())
            }
        }
        printLine("seeded \(members) members in \(ContinuousClock.now - seedStart)")

        var timings: [Double] = []
        for run in 1...runs {
            let start = ContinuousClock.now
            let answer = try await reader.groups.getDirectory(.with { $0.groupID = groupID })
            let ms = (ContinuousClock.now - start) / .milliseconds(1)
            guard answer.members.count == members + 1 else {
                throw BenchError("the directory has \(answer.members.count) members, expected \(members + 1)")
            }
            timings.append(ms)
            printLine(#"{"bench":"directory","run":\#(run),"members":\#(answer.members.count),"ms":\#(String(format: "%.1f", ms))}"#)
        }
        printLine(#"{"bench":"directory","members":\#(members),"runs":\#(runs),\#(summary(of: timings))}"#)
        await server.stop()
    }

    /// A typical card: name and phone for the group, an e-mail for contacts, a private note.
    static func card(_ index: Int, group: String) -> Card {
        Card(fields: [
            CardField(kind: .name, value: "Member \(index)", audience: .groups([group])),
            CardField(kind: .phone, label: "mobile", value: "+1556" + String(format: "%07d", index), audience: .groups([group])),
            CardField(kind: .email, value: "member\(index)@example.com", audience: .contacts),
            CardField(kind: .note, value: "private", audience: .onlyMe),
        ])
    }
}
