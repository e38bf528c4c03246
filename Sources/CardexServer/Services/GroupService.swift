import CardexCore
import CardexProto
import Foundation
import FramedRPC

/// Groups: shared address books built by invitation and acceptance, with permission tags.
struct GroupService: Cardex_V1_GroupService.ServiceProtocol {
    let environment: ServiceEnvironment

    func createGroup(request: Cardex_V1_CreateGroupRequest, context: ServerContext) async throws -> Cardex_V1_Group {
        let name = try UserText.check(request.name, what: "a group's name", maxBytes: environment.groups.maxNameBytes)
        guard !name.isEmpty else { throw CardexError.invalidArgument("a group's name is empty") }
        return try await environment.useCases.groups.create(named: name, by: context.caller().userID, now: environment.clock.now()).proto
    }

    func invite(request: Cardex_V1_InviteRequest, context: ServerContext) async throws -> Cardex_V1_InviteResponse {
        let caller = try context.caller()
        let policy = environment.groups
        guard !request.invitees.isEmpty, request.invitees.count <= policy.maxInviteesPerCall else {
            throw CardexError.invalidArgument("name 1 to \(policy.maxInviteesPerCall) invitees")
        }
        var invitees: [Invitee] = []
        for (index, invitee) in request.invitees.enumerated() {
            do {
                let person = try ShareRecipient(proto: invitee.person, phoneNumbers: environment.phoneNumbers)
                invitees.append(Invitee(person: person, tag: try tag(invitee.tag)))
            } catch {
                throw CardexError.invalidArgument("invitees[\(index)]: \(error.message)")
            }
        }
        let ids = try await environment.useCases.groups.invite(invitees, to: request.groupID, by: caller.userID, now: environment.clock.now())
        return .with { $0.invitationIds = ids }
    }

    func listGroups(request: Cardex_V1_ListGroupsRequest, context: ServerContext) async throws -> Cardex_V1_ListGroupsResponse {
        let groups = try await environment.useCases.groups.groups(of: context.caller().userID)
        return .with { $0.groups = groups.map(\.proto) }
    }

    func listInvitations(
        request: Cardex_V1_ListInvitationsRequest, context: ServerContext
    ) async throws -> Cardex_V1_ListInvitationsResponse {
        let invitations = try await environment.useCases.groups.invitations(of: context.caller().userID)
        return .with { $0.invitations = invitations.map(\.proto) }
    }

    func acceptInvitation(
        request: Cardex_V1_AnswerInvitationRequest, context: ServerContext
    ) async throws -> Cardex_V1_AcceptInvitationResponse {
        let (membership, members) = try await environment.useCases.groups.accept(
            request.invitationID, by: context.caller().userID, now: environment.clock.now())
        return .with {
            $0.group = membership.proto
            $0.members = members.map(\.proto)
        }
    }

    func declineInvitation(
        request: Cardex_V1_AnswerInvitationRequest, context: ServerContext
    ) async throws -> Cardex_V1_DeclineInvitationResponse {
        try await environment.useCases.groups.decline(request.invitationID, by: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_DeclineInvitationResponse()
    }

    func getDirectory(request: Cardex_V1_GetDirectoryRequest, context: ServerContext) async throws -> Cardex_V1_GetDirectoryResponse {
        let (membership, entries) = try await environment.useCases.groups.directory(
            of: request.groupID, for: context.caller().userID, includeSelf: request.includeSelf)
        return .with {
            $0.group = membership.proto
            $0.members = entries.map(\.proto)
        }
    }

    func removeMember(request: Cardex_V1_RemoveMemberRequest, context: ServerContext) async throws -> Cardex_V1_RemoveMemberResponse {
        try await environment.useCases.groups.remove(
            try UserID(parsing: request.userID), from: request.groupID, by: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_RemoveMemberResponse()
    }

    func setMember(request: Cardex_V1_SetMemberRequest, context: ServerContext) async throws -> Cardex_V1_SetMemberResponse {
        guard request.hasTag || request.hasAdmin else {
            throw CardexError.invalidArgument("set tag or admin: there is nothing to change")
        }
        let change = MemberChange(tag: request.hasTag ? .some(try tag(request.tag)) : nil, admin: request.hasAdmin ? request.admin : nil)
        let entry = try await environment.useCases.groups.change(
            try UserID(parsing: request.userID), in: request.groupID, change, by: context.caller().userID, now: environment.clock.now())
        return .with { $0.member = entry.proto }
    }

    func leaveGroup(request: Cardex_V1_LeaveGroupRequest, context: ServerContext) async throws -> Cardex_V1_LeaveGroupResponse {
        try await environment.useCases.groups.leave(request.groupID, user: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_LeaveGroupResponse()
    }

    func deleteGroup(request: Cardex_V1_DeleteGroupRequest, context: ServerContext) async throws -> Cardex_V1_DeleteGroupResponse {
        try await environment.useCases.groups.delete(request.groupID, by: context.caller().userID, now: environment.clock.now())
        return Cardex_V1_DeleteGroupResponse()
    }

    /// A permission tag a client sent: trimmed, empty for none.
    private func tag(_ text: String) throws(CardexError) -> String? {
        let tag = try UserText.check(text, what: "a tag", maxBytes: environment.groups.maxNameBytes)
        return tag.isEmpty ? nil : tag
    }
}
