import CardexCore
import Foundation
import Testing

@Suite("Store contract: the notification worker's outbox")
struct OutboxContractTests {
    @Test("due messages oldest first; delivered ones leave, failed ones come back at their retry time", arguments: Backend.allCases)
    func worker(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let phone = Fixture.phone(5)
            try await store.write { transaction in
                try await transaction.queueMessage(.verificationCode, to: phone, body: "code 123456", at: Fixture.t0)
                try await transaction.queueMessage(.notice, to: phone, body: "later", at: Fixture.t0 + 10)
            }
            #expect(try await store.dueMessages(at: Fixture.t0 - 1, limit: 10).isEmpty)
            let due = try await store.dueMessages(at: Fixture.t0 + 60, limit: 10)
            #expect(due.map(\.body) == ["code 123456", "later"])
            #expect(due.map(\.kind) == [.verificationCode, .notice] && due.allSatisfy { $0.attempts == 0 && $0.recipient == phone.e164 })
            #expect(try await store.nextAttemptDate() == Fixture.t0)
            #expect(try await store.pendingCount() == 2)

            try await store.markDelivered(due[0].id, at: Fixture.t0 + 1)
            try await store.markFailed(due[1].id, error: "gateway down", retryAt: Fixture.t0 + 300)
            #expect(try await store.pendingCount() == 1, "failed with a retry: still pending")
            #expect(try await store.dueMessages(at: Fixture.t0 + 60, limit: 10).isEmpty)
            #expect(try await store.nextAttemptDate() == Fixture.t0 + 300)
            let retried = try await store.dueMessages(at: Fixture.t0 + 300, limit: 10)
            #expect(retried.map(\.body) == ["later"] && retried.map(\.attempts) == [1])

            try await store.markFailed(due[1].id, error: "gave up", retryAt: nil)
            #expect(try await store.dueMessages(at: .distantFuture, limit: 10).isEmpty)
            #expect(try await store.nextAttemptDate() == nil)
            #expect(try await store.pendingCount() == 0, "given up: no longer pending")
            // Delivered and abandoned rows still count for the one-a-day rule.
            #expect(try await store.write { try await $0.messageCount(.notice, to: phone, since: .distantPast) } == 1)
        }
    }

    @Test("a due message is claimed by one of many workers at once; the claim lapses at its end", arguments: Backend.allCases)
    func claims(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            try await store.write { try await $0.queueMessage(.verificationCode, to: Fixture.phone(5), body: "code 123456", at: Fixture.t0) }
            let id = try #require(try await store.dueMessages(at: Fixture.t0, limit: 10).first?.id)
            #expect(try await store.claim(id, at: Fixture.t0 - 1, until: Fixture.t0 + 59) == false, "not due yet")

            let (now, leaseEnd) = (Fixture.t0 + 1, Fixture.t0 + 61)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await store.claim(id, at: now, until: leaseEnd) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await store.dueMessages(at: leaseEnd - 1, limit: 10).isEmpty, "claimed: nobody else sees it due")
            #expect(try await store.nextAttemptDate() == leaseEnd)
            #expect(try await store.claim(id, at: leaseEnd - 1, until: leaseEnd + 60) == false)

            // Its worker recorded nothing (it died): due again at the claim's end, for another.
            #expect(try await store.dueMessages(at: leaseEnd, limit: 10).map(\.id) == [id])
            #expect(try await store.claim(id, at: leaseEnd, until: leaseEnd + 60))
            try await store.markDelivered(id, at: leaseEnd + 1)
            #expect(try await store.claim(id, at: .distantFuture, until: .distantFuture) == false, "delivered: never claimed again")
        }
    }
}
