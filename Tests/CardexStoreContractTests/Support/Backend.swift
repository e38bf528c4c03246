import CardexCore
import CardexPostgres
import CardexSQLite
import Foundation
import Testing

/// A backend the contract runs against: each case gets a fresh, empty store of it.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh store, and what removes it afterwards.
    func makeStore() async throws -> TestStore {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString)")
            let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: directory.appendingPathComponent("cardex.sqlite").path))
            return TestStore(store: store) { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            return try await ContractPostgres.makeStore()
        }
    }
}

/// What a backend gives the server: use cases' transactions, the outbox for the worker, the lookup budgets.
typealias ContractStore = TransactionalStore & OutboxStore & LookupStore

/// A store under test.
struct TestStore: Sendable {
    let store: any ContractStore
    let remove: @Sendable () async -> Void

    /// Runs `body` with a fresh store of `backend`, then removes it.
    static func with(_ backend: Backend, _ body: (any ContractStore) async throws -> Void) async throws {
        let test = try await backend.makeStore()
        do {
            try await body(test.store)
        } catch {
            await test.remove()
            throw error
        }
        await test.remove()
    }
}

/// Values the cases share.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func account(_ index: Int, settings: AccountSettings = AccountSettings()) -> Account {
        Account(userID: .random(), phone: phone(index), createdAt: t0, settings: settings)
    }

    static func phone(_ index: Int) -> PhoneNumber {
        PhoneNumber(e164: "+1555000" + String(format: "%04d", index))
    }

    /// Stores `count` new accounts and returns them.
    static func accounts(_ count: Int, in store: any TransactionalStore) async throws -> [Account] {
        let accounts = (0..<count).map { account($0) }
        try await store.write { transaction in
            for account in accounts { try await transaction.insertAccount(account) }
        }
        return accounts
    }

    static func card(_ name: String, phone: String? = nil) -> Card {
        var fields = [CardField(kind: .name, value: name, audience: .everyone)]
        if let phone { fields.append(CardField(kind: .phone, value: phone, audience: .contacts)) }
        return Card(fields: fields)
    }
}
