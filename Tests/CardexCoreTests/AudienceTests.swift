import CardexCore
import Testing

@Suite("Audience")
struct AudienceTests {
    let reader = UserID.random()

    @Test("a stranger sees only everyone fields")
    func stranger() {
        let stranger = Relation.stranger(reader)
        #expect(Audience.everyone.admits(stranger))
        #expect(!Audience.contacts.admits(stranger))
        #expect(!Audience.onlyMe.admits(stranger))
        #expect(!Audience.groups(["g1"]).admits(stranger))
        #expect(!Audience.people([UserID.random()]).admits(stranger))
    }

    @Test("contacts, groups and chosen people are admitted by their relation")
    func related() {
        #expect(Audience.contacts.admits(Relation(reader: reader, isContact: true)))
        #expect(Audience.groups(["g1", "g2"]).admits(Relation(reader: reader, commonGroups: ["g2"])))
        #expect(!Audience.groups(["g1"]).admits(Relation(reader: reader, commonGroups: ["g3"])))
        #expect(Audience.people([reader]).admits(.stranger(reader)))
        #expect(!Audience.onlyMe.admits(Relation(reader: reader, isContact: true, commonGroups: ["g1"])))
    }

    @Test("the owner sees everything")
    func owner() {
        #expect(Audience.onlyMe.admits(Relation(reader: reader, isOwner: true)))
    }
}
