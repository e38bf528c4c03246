import CardexCore
import Testing

/// Which fields a share grants: by kind and label, never "only me" fields.
@Suite("Field selection")
struct FieldSelectionTests {
    static let mobile = CardField(kind: .phone, label: "mobile", value: "+15550100001", audience: .contacts)
    static let work = CardField(kind: .phone, label: "work", value: "+15550100002", audience: .contacts)
    static let mail = CardField(kind: .email, label: "", value: "ada@example.com", audience: .everyone)
    static let secret = CardField(kind: .phone, label: "mobile", value: "+15550100003", audience: .onlyMe)

    @Test("a selector picks its kind, and with a label only fields with exactly that label")
    func selectorPicks() {
        #expect(FieldSelector(kind: .phone).picks(Self.mobile))
        #expect(FieldSelector(kind: .phone).picks(Self.work))
        #expect(!FieldSelector(kind: .phone).picks(Self.mail))
        #expect(FieldSelector(kind: .phone, label: "mobile").picks(Self.mobile))
        #expect(!FieldSelector(kind: .phone, label: "mobile").picks(Self.work))
        #expect(!FieldSelector(kind: .phone, label: "Mobile").picks(Self.mobile))
    }

    @Test("an empty label is no label: the selector picks every field of its kind")
    func emptyLabel() {
        #expect(FieldSelector(kind: .phone, label: "") == FieldSelector(kind: .phone))
        #expect(FieldSelector(kind: .phone, label: "").picks(Self.work))
    }

    @Test("no selectors is the whole card; the whole card still leaves out only-me fields")
    func wholeCard() {
        #expect(FieldSelection([]) == .all)
        #expect(FieldSelection.all.grants(Self.mobile))
        #expect(FieldSelection.all.grants(Self.mail))
        #expect(!FieldSelection.all.grants(Self.secret))
        #expect(FieldSelection.all.selectors.isEmpty)
    }

    @Test("picked fields: what any selector picks, never an only-me field")
    func picked() {
        let selection = FieldSelection([FieldSelector(kind: .phone, label: "mobile"), FieldSelector(kind: .email)])
        #expect(selection.grants(Self.mobile))
        #expect(selection.grants(Self.mail))
        #expect(!selection.grants(Self.work))
        #expect(!selection.grants(Self.secret))
    }

    @Test("a selection follows the card: a changed value under a picked label stays granted")
    func followsChanges() {
        let selection = FieldSelection([FieldSelector(kind: .phone, label: "mobile")])
        var changed = Self.mobile
        changed.value = "+15550100009"
        #expect(selection.grants(changed))
    }

    @Test("a union grants what either grants; the whole card absorbs any selection")
    func unions() {
        let phones = FieldSelection([FieldSelector(kind: .phone)])
        let mail = FieldSelection([FieldSelector(kind: .email)])
        let both = phones.union(mail)
        #expect(both.grants(Self.work) && both.grants(Self.mail))
        #expect(both == FieldSelection([FieldSelector(kind: .email), FieldSelector(kind: .phone)]))
        #expect(phones.union(.all) == .all)
        #expect(FieldSelection.all.union(mail) == .all)
        #expect(FieldSelection.union(of: []) == nil)
        #expect(FieldSelection.union(of: [phones, mail]) == both)
    }

    @Test("selectors are listed in one order, by kind then label")
    func sortedSelectors() {
        let selection = FieldSelection([
            FieldSelector(kind: .phone, label: "work"), FieldSelector(kind: .email), FieldSelector(kind: .phone, label: "home"),
        ])
        #expect(
            selection.selectors == [
                FieldSelector(kind: .email), FieldSelector(kind: .phone, label: "home"), FieldSelector(kind: .phone, label: "work"),
            ])
    }
}
