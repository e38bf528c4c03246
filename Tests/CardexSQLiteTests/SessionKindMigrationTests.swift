import CardexCore
import Foundation
import GRDB
import Testing

@testable import CardexSQLite

/// Migration v6: sessions get a kind; the ones that existed are devices.
@Suite("Sessions migrated to kinds")
struct SessionKindMigrationTests {
    @Test("a session signed in before v6 is a device session after it, found by its token as before")
    func existingSessionsAreDevices() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-v6-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cardex.sqlite").path
        let user = UserID(rawValue: "0f5e1d52-3c71-4d8e-9a0b-6f1c2d3e4a5b")
        let signedIn = Date(timeIntervalSince1970: 1_790_000_000)
        try Self.makeV5Database(at: path, user: user, signedIn: signedIn)

        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        let session = try await store.read { try await $0.session(tokenHash: Data([7])) }
        #expect(session == DeviceSession(id: "s1", userID: user, deviceName: "phone", createdAt: signedIn, lastUsedAt: signedIn, kind: .device))
    }

    /// A v5 database with one person signed in on one device.
    static func makeV5Database(at path: String, user: UserID, signedIn: Date) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v5: cards as protobuf bytes")
        try queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by) VALUES (?, '+15550001111', ?, 1, 0, 'everyone')",
                arguments: [user.rawValue, signedIn])
            try db.execute(
                sql: "INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_used_at) VALUES ('s1', ?, ?, 'phone', ?, ?)",
                arguments: [user.rawValue, Data([7]), signedIn, signedIn])
        }
        try queue.close()
    }
}
