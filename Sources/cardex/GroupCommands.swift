import ArgumentParser
import CardexProto

/// `cardex group …`: shared address books built by invitation and acceptance.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Create groups, invite people, answer invitations and read the members' cards.",
        discussion: """
            A member with a tag sees only the members with the same tag; untagged members see the untagged \
            ones; the owner and admins see everyone. Each member sees the fields of the others' cards whose \
            audience includes the group (groups:ID) or everyone.
            Example: cardex group create Family (prints the group's id), then
            cardex group invite <group-id> +12015550187 --tag cousins
            """,
        subcommands: [
            CreateGroup.self, ListGroups.self, InviteToGroup.self, ListInvitations.self, AcceptInvitation.self,
            DeclineInvitation.self, ShowGroup.self, RemoveMember.self, TagMember.self, SetAdmin.self, LeaveGroup.self,
            DeleteGroup.self,
        ])

    /// `<id>  <name>  <my role>  <my tag>  <N> members`, one line.
    static func describe(_ group: Cardex_V1_Group) -> String {
        let count = group.memberCount == 1 ? "1 member" : "\(group.memberCount) members"
        return "\(group.groupID)  \(group.name)  \(describe(group.myRole))  \(describe(tag: group.myTag))  \(count)"
    }

    /// `<user id>  <phone>  <role>  <tag>`, then the member's card fields I may see, indented.
    static func describe(_ member: Cardex_V1_Member) -> String {
        let fields = ShowCard.fieldLines(member.card.card, withAudience: false).map { "  " + $0 }
        return (["\(member.userID)  \(member.phone)  \(describe(member.role))  \(describe(tag: member.tag))"] + fields)
            .joined(separator: "\n")
    }

    /// The group's line, then each member I see; `none` when there is no one to show.
    static func describe(_ group: Cardex_V1_Group, members: [Cardex_V1_Member], none: String) -> String {
        let lines = members.isEmpty ? [none] : members.map(describe)
        return (["group " + describe(group)] + lines).joined(separator: "\n")
    }

    /// `owner`, `admin` or `member`.
    static func describe(_ role: Cardex_V1_GroupRole) -> String {
        switch role {
        case .owner: "owner"
        case .admin: "admin"
        case .member, .unspecified, .UNRECOGNIZED: "member"
        }
    }

    /// `tag <tag>`, or `untagged` for the empty tag.
    static func describe(tag: String) -> String {
        tag.isEmpty ? "untagged" : "tag \(tag)"
    }

    /// What an empty directory means, for the person reading it.
    static let noMembersSeen =
        "no other members you may see: a member with a tag sees only the members with the same tag, an untagged one only the untagged"
}

/// `cardex group create <name>`: a group with me as its owner and only member.
struct CreateGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a group with me as its owner; prints its id.")

    @Argument(help: "The group's name, as its members will see it.") var name: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.createGroup(.with { $0.name = name })
            try options.print(answer) {
                "group \(answer.groupID) created: \(answer.name)\ninvite people with `cardex group invite \(answer.groupID) <phone>…`"
            }
        }
    }
}

/// `cardex group list`: the groups I belong to.
struct ListGroups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List my groups: id, name, my role, my tag and how many members each has.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.listGroups(.init())
            try options.print(answer) {
                guard !answer.groups.isEmpty else {
                    return "no groups: create one with `cardex group create <name>` or accept one from `cardex group invitations`"
                }
                return answer.groups.map(GroupCommand.describe).joined(separator: "\n")
            }
        }
    }
}

/// `cardex group show <group-id>`: the group's directory as I may see it.
struct ShowGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a group and the members I may see, with their numbers, roles, tags and the card fields they show the group.")

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @Flag(help: "List me among the members too.") var includeSelf = false
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.getDirectory(
                .with {
                    $0.groupID = groupID
                    $0.includeSelf = includeSelf
                })
            try options.print(answer) {
                GroupCommand.describe(answer.group, members: answer.members, none: GroupCommand.noMembersSeen)
            }
        }
    }
}

/// `cardex group leave <group-id>`: I stop being a member.
struct LeaveGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave", abstract: "Leave a group (its owner deletes it instead).")

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.leaveGroup(.with { $0.groupID = groupID })
            try options.print(answer) { "left group \(groupID)" }
        }
    }
}

/// `cardex group delete <group-id>`: ends the group for every member.
struct DeleteGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a group I own: every member leaves it.")

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.deleteGroup(.with { $0.groupID = groupID })
            try options.print(answer) { "group \(groupID) deleted" }
        }
    }
}
