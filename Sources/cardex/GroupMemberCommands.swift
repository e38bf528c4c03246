import ArgumentParser
import CardexProto

/// `cardex group remove <group-id> <user-id>`: takes a member out of a group.
struct RemoveMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a member from a group I own or administer (only the owner removes an admin).")

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @Argument(help: "The member's user id, from `cardex group show`.") var userID: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.removeMember(
                .with {
                    $0.groupID = groupID
                    $0.userID = userID
                })
            try options.print(answer) { "user \(userID) removed from group \(groupID)" }
        }
    }
}

/// `cardex group tag <group-id> <user-id> <tag>`: changes whom a member sees.
struct TagMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Change a member's permission tag in a group I own or administer; \"\" untags.",
        discussion: """
            A member with a tag sees only the members with the same tag; an untagged member sees the untagged ones.
            Example: cardex group tag <group-id> <user-id> cousins, or cardex group tag <group-id> <user-id> ""
            """)

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @Argument(help: "The member's user id, from `cardex group show`.") var userID: String
    @Argument(help: "The new tag; \"\" makes the member untagged.") var tag: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.setMember(
                .with {
                    $0.groupID = groupID
                    $0.userID = userID
                    $0.tag = tag
                })
            try options.print(answer) { GroupCommand.describe(answer.member) }
        }
    }
}

/// `cardex group admin <group-id> <user-id> [--revoke]`: names or unnames an admin.
struct SetAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Make a member of a group I own an admin (who sees everyone, invites, removes and retags), or not with --revoke.")

    @Argument(help: "The group's id, from `cardex group list`.") var groupID: String
    @Argument(help: "The member's user id, from `cardex group show`.") var userID: String
    @Flag(help: "Make the admin a plain member again.") var revoke = false
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            let answer = try await client.groups.setMember(
                .with {
                    $0.groupID = groupID
                    $0.userID = userID
                    $0.admin = !revoke
                })
            try options.print(answer) { GroupCommand.describe(answer.member) }
        }
    }
}
