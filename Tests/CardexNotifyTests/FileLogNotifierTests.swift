import CardexCore
import CardexNotify
import Foundation
import Testing

@Suite("FileLogNotifier")
struct FileLogNotifierTests {
    private func lines(of file: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasSuffix("\n"), "every line ends with a newline")
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("appends one parseable JSON line per message with id, kind, to, body and created_at")
    func writesJSONLines() async throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("nested/dir/notifications.jsonl")
        let notifier = FileLogNotifier(fileURL: file)

        try await notifier.deliver(Fixtures.message(id: 7))
        var invitation = Fixtures.message(id: 8, body: "Anna shared \"her card\"\nwith you / open cardex://x")
        invitation.kind = .invitation
        try await notifier.deliver(invitation)

        let objects = try lines(of: file)
        try #require(objects.count == 2)
        #expect(objects[0]["id"] as? Int == 7)
        #expect(objects[0]["kind"] as? String == "verification_code")
        #expect(objects[0]["to"] as? String == "+4915123456789")
        #expect(objects[0]["body"] as? String == "Your Cardex code is 123456")
        #expect(objects[0]["created_at"] as? String == Fixtures.createdText)
        #expect(Set(objects[0].keys) == ["id", "kind", "to", "body", "created_at"])
        #expect(objects[1]["kind"] as? String == "invitation")
        #expect(objects[1]["body"] as? String == invitation.body)
    }

    @Test("creates the file with mode 0600 and appends to an existing one")
    func createsPrivateFile() async throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("codes.jsonl")

        try await FileLogNotifier(fileURL: file).deliver(Fixtures.message(id: 1))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        try await FileLogNotifier(fileURL: file).deliver(Fixtures.message(id: 2))
        #expect(try lines(of: file).map { $0["id"] as? Int } == [1, 2])
    }

    @Test("concurrent deliveries write whole lines, one per message")
    func concurrentDeliveries() async throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("codes.jsonl")
        let notifier = FileLogNotifier(fileURL: file)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 1...50 {
                group.addTask { try await notifier.deliver(Fixtures.message(id: Int64(id))) }
            }
            try await group.waitForAll()
        }

        let ids = try lines(of: file).compactMap { $0["id"] as? Int }
        #expect(ids.count == 50)
        #expect(Set(ids) == Set(1...50))
    }

    @Test("a path that cannot be created throws an error naming it")
    func unwritablePathThrows() async throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // A regular file where a directory should be: fails even for root.
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let blocker = root.appendingPathComponent("not-a-directory")
        try Data().write(to: blocker)
        let file = blocker.appendingPathComponent("codes.jsonl")

        let error = await #expect(throws: FileLogNotifier.WriteError.self) {
            try await FileLogNotifier(fileURL: file).deliver(Fixtures.message())
        }
        #expect(error?.description.contains(file.path) == true)
    }
}
