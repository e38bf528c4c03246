import CardexCore
import Foundation
import Testing

@Suite("Store contract: accounts, codes and sessions")
struct AccountContractTests {
    private struct Refused: Error {}

    @Test("an account is found by id and by number; an update moves its number and settings", arguments: Backend.allCases)
    func accounts(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            var ada = try await Fixture.accounts(2, in: store)[0]
            let byPhone = try await store.read { try await $0.account(phone: Fixture.phone(0)) }
            #expect(byPhone == ada)
            ada.phone = Fixture.phone(7)
            ada.settings = AccountSettings(cloudAddressBook: false, autoSendCard: true, discoverableBy: .nobody)
            let updated = ada
            try await store.write { try await $0.updateAccount(updated) }
            let read = try await store.read { transaction in
                try await (transaction.account(updated.userID), transaction.account(phone: Fixture.phone(0)))
            }
            #expect(read.0 == updated)
            #expect(read.1 == nil)
        }
    }

    @Test("a write that throws leaves nothing behind", arguments: Backend.allCases)
    func rollback(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = Fixture.account(0)
            await #expect(throws: Refused.self) {
                try await store.write { transaction in
                    try await transaction.insertAccount(ada)
                    throw Refused()
                }
            }
            let found = try await store.read { try await $0.account(ada.userID) }
            #expect(found == nil)
        }
    }

    @Test("codes: the newest active one is found; voiding, using and counting requests", arguments: Backend.allCases)
    func codes(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let requester = try await Fixture.accounts(1, in: store)[0].userID
            let phone = Fixture.phone(1)
            let first = StoredCode(phone: phone, purpose: .signIn, codeHash: Data([1]), requester: nil, createdAt: Fixture.t0, expiresAt: Fixture.t0 + 600)
            try await store.write { transaction in
                try await transaction.insertCode(first)
                try await transaction.voidActiveCodes(phone: phone, purpose: .signIn)
                var second = first
                second.codeHash = Data([2])
                try await transaction.insertCode(second)
                try await transaction.insertCode(
                    StoredCode(
                        phone: phone, purpose: .changeNumber, codeHash: Data([3]), requester: requester, createdAt: Fixture.t0,
                        expiresAt: Fixture.t0 + 600))
            }
            var newest = try #require(try await store.read { try await $0.newestActiveCode(phone: phone, purpose: .signIn) })
            #expect(newest.codeHash == Data([2]))
            newest.attempts = 2
            newest.state = .used
            let used = newest
            try await store.write { try await $0.updateCode(used) }
            #expect(try await store.read { try await $0.newestActiveCode(phone: phone, purpose: .signIn) } == nil)
            #expect(try await store.read { try await $0.requestedCodePhones(of: requester) } == [phone])

            try await store.write { transaction in
                for minute in 0..<3 {
                    try await transaction.insertCodeRequest(phone: phone, clientAddress: "10.0.0.1", at: Fixture.t0 + Double(minute * 60))
                }
                try await transaction.forgetCodeRequests(before: Fixture.t0)
            }
            let counts = try await store.read { transaction in
                try await (transaction.codeRequests(of: .phone(phone)), transaction.codeRequests(of: .clientAddress("10.0.0.2")))
            }
            #expect(counts.0.count == 2 && counts.0.oldest == Fixture.t0 + 60)
            #expect(counts.1.count == 0 && counts.1.oldest == nil)
        }
    }

    @Test("sessions: found by token hash with their kind, listed oldest first, touched and deleted", arguments: Backend.allCases)
    func sessions(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await Fixture.accounts(1, in: store)[0]
            let sessions = (0..<2).map {
                DeviceSession(
                    id: "s\($0)", userID: ada.userID, deviceName: "phone \($0)", createdAt: Fixture.t0 + Double($0), lastUsedAt: Fixture.t0,
                    kind: $0 == 0 ? .device : .appPassword)
            }
            try await store.write { transaction in
                for (index, session) in sessions.enumerated() { try await transaction.insertSession(session, tokenHash: Data([UInt8(index)])) }
            }
            #expect(try await store.read { try await $0.session(tokenHash: Data([1])) } == sessions[1])
            #expect(try await store.read { try await $0.sessions(of: ada.userID) } == sessions)
            let touched = try await store.write { try await $0.touchSession("s0", at: Fixture.t0 + 90) }
            #expect(touched)
            #expect(try await store.read { try await $0.session(tokenHash: Data([0])) }?.lastUsedAt == Fixture.t0 + 90)
            let deleted = try await store.write { transaction in
                try await (transaction.deleteSession("s1", of: .random()), transaction.deleteSession("s1", of: ada.userID))
            }
            #expect(deleted == (false, true))
            #expect(try await store.write { try await $0.touchSession("s1", at: Fixture.t0) } == false)
        }
    }

    @Test("erasing an account removes its rows and the rows naming its numbers", arguments: Backend.allCases)
    func erase(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let (ada, bo) = try await {
                let a = try await Fixture.accounts(2, in: store)
                return (a[0], a[1])
            }()
            try await store.write { transaction in
                try await transaction.insertSession(
                    DeviceSession(id: "s", userID: ada.userID, deviceName: "p", createdAt: Fixture.t0, lastUsedAt: Fixture.t0), tokenHash: Data([9]))
                try await transaction.saveCard(
                    StoredCard(card: Fixture.card("Ada"), version: 1, etag: ETag.ofCard(Fixture.card("Ada")), updatedAt: Fixture.t0),
                    of: ada.userID, historyLimit: 5)
                try await transaction.insertCode(
                    StoredCode(
                        phone: ada.phone, purpose: .signIn, codeHash: Data([1]), requester: nil, createdAt: Fixture.t0, expiresAt: Fixture.t0 + 600))
                try await transaction.queueMessage(.notice, to: ada.phone, body: "hi", at: Fixture.t0)
                try await transaction.addMutualContact(ada.userID, bo.userID, since: Fixture.t0)
                _ = try await transaction.appendEvent(.sharesWaiting(count: 1), to: ada.userID, at: Fixture.t0)
            }
            try await store.write { try await $0.eraseAccount(ada.userID, phones: [ada.phone]) }
            let left = try await store.read { transaction in
                (
                    try await transaction.account(ada.userID), try await transaction.session(tokenHash: Data([9])),
                    try await transaction.currentCard(of: ada.userID), try await transaction.newestActiveCode(phone: ada.phone, purpose: .signIn),
                    try await transaction.mutualContacts(of: bo.userID)
                )
            }
            #expect(left.0 == nil && left.1 == nil && left.2 == nil && left.3 == nil && left.4.isEmpty)
            #expect(try await store.read { try await $0.account(bo.userID) } == bo)
            #expect(try await store.write { try await $0.messageCount(.notice, to: ada.phone, since: .distantPast) } == 0)
        }
    }
}
