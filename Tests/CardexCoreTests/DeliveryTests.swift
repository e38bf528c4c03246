import CardexCore
import Foundation
import Testing

/// How a share reaches its recipient (patent CN102752392A, application scenarios 1–5).
@Suite("Share delivery")
struct DeliveryTests {
    static func account(cloudAddressBook: Bool) -> Account {
        Account(
            userID: .random(), phone: PhoneNumber(e164: "+15550100001"), createdAt: Date(timeIntervalSince1970: 0),
            settings: AccountSettings(cloudAddressBook: cloudAddressBook))
    }

    @Test("a number nobody registered gets an invitation and the share waits, online or not")
    func unregistered() {
        #expect(Delivery.decide(account: nil, online: false) == .inviteAndWait)
        #expect(Delivery.decide(account: nil, online: true) == .inviteAndWait)
        #expect(!Delivery.inviteAndWait.entersInbox)
    }

    @Test("a person with the cloud address book off is asked to turn it on and the share waits")
    func cloudBookOff() {
        let account = Self.account(cloudAddressBook: false)
        #expect(Delivery.decide(account: account, online: true) == .askToEnableAndWait)
        #expect(Delivery.decide(account: account, online: false) == .askToEnableAndWait)
        #expect(!Delivery.askToEnableAndWait.entersInbox)
    }

    @Test("a person with the cloud address book on gets the share in the inbox, pushed when a device is online")
    func cloudBookOn() {
        let account = Self.account(cloudAddressBook: true)
        #expect(Delivery.decide(account: account, online: true) == .inboxAndPush)
        #expect(Delivery.decide(account: account, online: false) == .inboxAndNotice)
        #expect(Delivery.inboxAndPush.entersInbox)
        #expect(Delivery.inboxAndNotice.entersInbox)
    }
}
