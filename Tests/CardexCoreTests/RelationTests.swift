import CardexCore
import Testing

/// How a reader stands to an owner, and what of the card that lets them read.
@Suite("Relation")
struct RelationTests {
    let reader = UserID.random()
    static let name = CardField(kind: .name, value: "Ada", audience: .everyone)
    static let mobile = CardField(kind: .phone, label: "mobile", value: "+15550100001", audience: .contacts)
    static let work = CardField(kind: .phone, label: "work", value: "+15550100002", audience: .groups(["g1"]))
    static let diary = CardField(kind: .note, value: "diary", audience: .onlyMe)
    static let card = Card(fields: [name, mobile, work, diary])

    @Test("the owner, a contact, a common group or an accepted share make a reader acquainted; a stranger is not")
    func acquaintance() {
        #expect(!Relation.stranger(reader).isAcquainted)
        #expect(Relation(reader: reader, isOwner: true).isAcquainted)
        #expect(Relation(reader: reader, isContact: true).isAcquainted)
        #expect(Relation(reader: reader, commonGroups: ["g1"]).isAcquainted)
        #expect(Relation(reader: reader, acceptedShare: true).isAcquainted)
        // A grant alone (a public share) is not acquaintance.
        #expect(!Relation(reader: reader, granted: .all).isAcquainted)
    }

    @Test("a reader sees the fields the audiences admit, in the card's order")
    func byAudience() {
        #expect(Self.card.visible(to: .stranger(reader)) == [Self.name])
        #expect(Self.card.visible(to: Relation(reader: reader, isContact: true)) == [Self.name, Self.mobile])
        #expect(Self.card.visible(to: Relation(reader: reader, commonGroups: ["g1"])) == [Self.name, Self.work])
        #expect(Self.card.visible(to: Relation(reader: reader, isOwner: true)) == Self.card.fields)
    }

    @Test("a share adds the fields it grants beyond the audiences, never an only-me field")
    func byShare() {
        let share = Relation(reader: reader, granted: FieldSelection([FieldSelector(kind: .phone, label: "work")]))
        #expect(Self.card.visible(to: share) == [Self.name, Self.work])
        #expect(Self.card.visible(to: Relation(reader: reader, granted: .all)) == [Self.name, Self.mobile, Self.work])
    }
}
