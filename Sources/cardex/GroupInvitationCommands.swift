import ArgumentParser
import CardexProto
import Foundation

/// `cardex group invite <group-id> <person>…`: asks people to join a group.
struct InviteToGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Invite people to a group I own or administer (they accept or decline).",
        discussion: """
            A person is a user id or a phone number; a number not registered yet gets an invitation message and \
            finds the invitation when it registers.
            Example: cardex group invite <group-id> +12015550187 --tag cousins
            """)

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @Argument(help: "User ids or phone numbers.") var people: [PersonArgument]
    @Option(help: "A permission tag for everyone invited: they will see only the members with the same tag. None: untagged.")
    var tag: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.invite(
                .with {
                    $0.groupID = groupID
                    $0.invitees = people.map { person in
                        .with {
                            $0.person = person.person
                            $0.tag = tag ?? ""
                        }
                    }
                })
            try options.print(answer) {
                zip(answer.invitationIds, people).map { id, person in
                    "invitation \(id) for \(PersonArgument.describe(person.person))"
                }.joined(separator: "\n")
            }
        }
    }
}

/// `cardex group invitations`: invitations waiting for my answer.
struct ListInvitations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invitations", abstract: "List the group invitations waiting for my answer, oldest first.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.listInvitations(.init())
            try options.print(answer) {
                guard !answer.invitations.isEmpty else { return "no group invitations waiting for your answer" }
                return answer.invitations.map { invitation in
                    let received = Date(timeIntervalSince1970: Double(invitation.receivedAtMs) / 1000).formatted(.iso8601)
                    return "\(invitation.invitationID)  group \(invitation.groupName)  from user \(invitation.inviterUserID)  received \(received)"
                }.joined(separator: "\n")
                    + "\nanswer with `cardex group accept <id>` or `cardex group decline <id>`"
            }
        }
    }
}

/// `cardex group accept <invitation-id>`: joins the group.
struct AcceptInvitation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a group invitation: I join with my number, and see the members my tag allows with their cards.")

    @Argument(help: "The invitation's id, from `cardex group invitations`.") var invitationID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.acceptInvitation(.with { $0.invitationID = invitationID })
            try options.print(answer) {
                "joined; " + GroupCommand.describe(answer.group, members: answer.members, none: GroupCommand.noMembersSeen)
            }
        }
    }
}

/// `cardex group decline <invitation-id>`: deletes the invitation.
struct DeclineInvitation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline", abstract: "Decline a group invitation.")

    @Argument(help: "The invitation's id, from `cardex group invitations`.") var invitationID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.declineInvitation(.with { $0.invitationID = invitationID })
            try options.print(answer) { "invitation \(invitationID) declined" }
        }
    }
}
