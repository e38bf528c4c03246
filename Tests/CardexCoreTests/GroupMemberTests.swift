import CardexCore
import Foundation
import Testing

/// Who sees whom in a group (patent CN102984213A claim 6).
@Suite("Group member visibility")
struct GroupMemberTests {
    static func member(_ role: GroupRole, tag: String?) -> GroupMember {
        GroupMember(user: .random(), phone: PhoneNumber(e164: "+15550100001"), role: role, tag: tag, joinedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("a tagged member sees the members with the same tag, and no one else")
    func tagged() {
        let sales = Self.member(.member, tag: "sales")
        #expect(sales.sees(Self.member(.member, tag: "sales")))
        #expect(!sales.sees(Self.member(.member, tag: "support")))
        #expect(!sales.sees(Self.member(.member, tag: nil)))
        #expect(!sales.sees(Self.member(.owner, tag: nil)))
    }

    @Test("an untagged member sees the untagged members")
    func untagged() {
        let plain = Self.member(.member, tag: nil)
        #expect(plain.sees(Self.member(.member, tag: nil)))
        #expect(plain.sees(Self.member(.owner, tag: nil)))
        #expect(!plain.sees(Self.member(.member, tag: "sales")))
    }

    @Test("the owner and admins see everyone, whatever their own tag")
    func administrators() {
        for role in [GroupRole.owner, .admin] {
            let administrator = Self.member(role, tag: "board")
            #expect(administrator.sees(Self.member(.member, tag: "sales")))
            #expect(administrator.sees(Self.member(.member, tag: nil)))
        }
    }

    @Test("a member always sees themself, even after a retag")
    func themself() {
        let before = Self.member(.member, tag: "sales")
        var after = before
        after.tag = "support"
        #expect(after.sees(before))
    }

    @Test("only admins and the owner administer; roles rank member < admin < owner")
    func roles() {
        #expect(!GroupRole.member.administers)
        #expect(GroupRole.admin.administers)
        #expect(GroupRole.owner.administers)
        #expect([GroupRole.owner, .member, .admin].sorted() == [.member, .admin, .owner])
    }
}
