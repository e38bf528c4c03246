import CardexClient
import CardexCore
import CardexProto
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What someone who can read the data directory's files learns: an attack run read a live
/// verification code out of `cardex.sqlite-wal` (the directory was 0755, the files 0644) and
/// signed in with it.
@Suite("The data directory's files, and the database's")
struct DataFilesTests {
    /// Every regular file under `directory`, with its contents.
    static func files(in directory: String) throws -> [(path: String, contents: Data)] {
        let names = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        return try names.compactMap { name in
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
            return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    /// The files among `files` that hold `text`.
    static func holding(_ text: String, _ files: [(path: String, contents: Data)]) -> [String] {
        files.filter { $0.contents.range(of: Data(text.utf8)) != nil }.map { URL(fileURLWithPath: $0.path).lastPathComponent }
    }

    /// The names of the files holding `code` as a number of its own (no digit, letter, `_` or
    /// decimal point just before it, no digit just after): a message text holds it so ("code is
    /// 123456."), while the same six digits inside a longer number, a fraction or a name
    /// (another test's phone number, a time in JSON such as 786540332.123456, or a TOAST table
    /// `pg_toast_123456`, in the PostgreSQL WAL that all tests share) are no leak.
    static func holding(code: String, _ files: [(path: String, contents: Data)]) -> [String] {
        let needle = Data(code.utf8)
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        let isNamePart = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "_") }
        return files.filter { file in
            let bytes = file.contents
            var from = bytes.startIndex
            while let found = bytes.range(of: needle, in: from..<bytes.endIndex) {
                let before = found.lowerBound > bytes.startIndex ? bytes[found.lowerBound - 1] : nil
                let after = found.upperBound < bytes.endIndex ? bytes[found.upperBound] : nil
                let joined = before.map { isDigit($0) || isNamePart($0) || $0 == UInt8(ascii: ".") } ?? false
                if !joined && !(after.map(isDigit) ?? false) { return true }
                from = found.lowerBound + 1
            }
            return false
        }.map { URL(fileURLWithPath: $0.path).lastPathComponent }
    }

    @Test("delivered codes are in no file of the data directory while they are still valid", TestDatabase.embeddedOnly)
    func deliveredCodeLeavesNoFile() async throws {
        try await withCardex { server in
            let client = try server.client()
            // Several codes, so the erased bodies share pages with rows that stay.
            let phones = (1...6).map { "+1555000880\($0)" }
            var codes: [String] = []
            for phone in phones {
                _ = try await client.registration.requestCode(
                    .with {
                        $0.phone = phone
                        $0.purpose = .register
                    })
                codes.append(try await server.notifier.code(for: phone))
            }
            let directory = server.configuration.dataDirectory

            // Delivered: each body is erased, then the log is emptied; allow the worker a moment.
            var leaks: [String] = ["not read yet"]
            for _ in 0..<250 where !leaks.isEmpty {
                let files = try Self.files(in: directory)
                leaks = Self.holding("Your Cardex code is", files) + codes.flatMap { Self.holding(code: $0, files) }
                if !leaks.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(leaks.isEmpty, "a code is readable from \(leaks)")

            // The codes were still valid all along: they sign in.
            for (phone, code) in zip(phones, codes) {
                let verified = try await client.registration.verifyCode(
                    .with {
                        $0.phone = phone
                        $0.code = code
                        $0.purpose = .register
                        $0.deviceName = "laptop"
                    })
                #expect(!verified.sessionToken.isEmpty)
            }
        }
    }

    @Test("messages waiting in the outbox are stored sealed: no database file holds a live code or a message text")
    func waitingMessagesAreSealed() async throws {
        let started = Date()
        try await withCardex { server in
            let (sender, _) = try await SharingTests.sender(server, "+15550008810")
            server.notifier.setFailing(true)  // from here on every message stays queued
            _ = try await SharingTests.share(sender, with: "+15550008811", fields: [.name])  // an invitation
            let phones = (2...4).map { "+1555000881\($0)" }
            for phone in phones {
                _ = try await server.client().registration.requestCode(
                    .with {
                        $0.phone = phone
                        $0.purpose = .register
                    })
            }
            // The worker opened each body and handed it to the notifier, which refused it.
            var refused: [OutboxMessage] = []
            for _ in 0..<250 where refused.count < 4 {
                refused = server.notifier.refused
                if refused.count < 4 { try await Task.sleep(for: .milliseconds(20)) }
            }
            try #require(refused.count == 4, "the worker handed over \(refused.count) of 4 messages")
            let codes = try refused.filter { $0.kind == .verificationCode }.map { message in
                String(message.body[try #require(message.body.range(of: #"\d{6}"#, options: .regularExpression))])
            }
            let invitation = try #require(refused.first { $0.kind == .invitation }?.body)
            #expect(codes.count == 3 && invitation.contains("Ada Lovelace"))

            // The sender's name alone is in the files (their card); the invitation's text must not be.
            let secrets = ["Your Cardex code is", invitation] + codes
            let inspector = try StoreInspector(server)
            let stored = try await inspector.pendingOutboxBodies()
            #expect(stored.count == 4)
            #expect(StoredBodies.problems(stored, hiding: secrets) == [])
            // On SQLite the database is in the data directory; PostgreSQL's files are its
            // database's directory and the cluster's WAL, where every commit is written first.
            let files = try Self.files(in: server.configuration.dataDirectory) + (try await inspector.postgresFiles(since: started) ?? [])
            let leaks =
                ["Your Cardex code is", invitation].flatMap { text in Self.holding(text, files).map { "\(text) in \($0)" } }
                + codes.flatMap { code in Self.holding(code: code, files).map { "code \(code) in \($0)" } }
            #expect(leaks.isEmpty, "a message text is readable from \(leaks)")

            // The codes were live: they still sign in.
            for (phone, code) in zip(refused.filter { $0.kind == .verificationCode }.map(\.recipient), codes) {
                let verified = try await server.client().registration.verifyCode(
                    .with {
                        $0.phone = phone
                        $0.code = code
                        $0.purpose = .register
                    })
                #expect(verified.created)
            }
        }
    }

    @Test("the data directory is 0700 and every file in it 0600, also files from before", TestDatabase.embeddedOnly)
    func privateModes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-modes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory and a file left readable by others, as earlier versions made them.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let leftover = URL(fileURLWithPath: directory).appendingPathComponent("old-export.json").path
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data("{}".utf8), attributes: [.posixPermissions: 0o644]))

        try await withCardex(dataDirectory: directory) { server in
            _ = try await server.signIn("+15550008802")  // writes the database, its log and the key
            #expect(Self.mode(directory) == 0o700)
            let files = try Self.files(in: directory)
            let names = Set(files.map { URL(fileURLWithPath: $0.path).lastPathComponent })
            #expect(
                names.isSuperset(of: [
                    "cardex.sqlite", "cardex.sqlite-wal", "cardex.sqlite-shm", "cardex-accounts.sqlite", "cardex-accounts.sqlite-wal",
                    "cardex-accounts.sqlite-shm", "code-hashing.key", "old-export.json",
                ]))
            for file in files {
                #expect(Self.mode(file.path) == 0o600, "\(file.path) is \(String(Self.mode(file.path), radix: 8))")
            }
        }
    }
}
