import CardexClient
import Foundation

/// People signed in to a ``ServeProcess`` the way a person does: RequestCode, the code read
/// from the server's notification log, VerifyCode. Their sessions are stored, so they outlive
/// restarts: ``clients(port:trustRoots:)`` opens new connections with the same tokens.
struct LoadAccounts {
    /// Each person's phone and session token, in sign-in order.
    let people: [(phone: String, token: String)]

    /// Signs in `count` people numbered `+1556XXXXXXX`, 16 at a time.
    static func signIn(count: Int, server: ServeProcess) async throws -> LoadAccounts {
        let phones = (1...count).map { String(format: "+1556%07d", $0) }
        let (port, trustRoots, log) = (server.port, server.trustRoots, server.notificationLog)
        var people: [(String, String)] = []
        for start in stride(from: 0, to: phones.count, by: 16) {
            people += try await withThrowingTaskGroup(of: (String, String).self) { group in
                for phone in phones[start..<min(start + 16, phones.count)] {
                    group.addTask { (phone, try await signIn(phone, server: port, trustRoots: trustRoots, log: log)) }
                }
                var batch: [(String, String)] = []
                for try await person in group { batch.append(person) }
                return batch
            }
        }
        return LoadAccounts(people: people.sorted { $0.0 < $1.0 })
    }

    /// One signed-in client per person, each on its own connection.
    func clients(port: Int, trustRoots: String) throws -> [CardexClient] {
        try people.map { try CardexClient(host: "127.0.0.1", port: port, trustRootsPath: trustRoots, token: $0.token) }
    }

    private static func signIn(_ phone: String, server port: Int, trustRoots: String, log: String) async throws -> String {
        let client = try CardexClient(host: "127.0.0.1", port: port, trustRootsPath: trustRoots)
        defer { Task { await client.close() } }
        _ = try await client.registration.requestCode(
            .with {
                $0.phone = phone
                $0.purpose = .register
            })
        let code = try await code(for: phone, in: log)
        let verified = try await client.registration.verifyCode(
            .with {
                $0.phone = phone
                $0.code = code
                $0.purpose = .register
            })
        return verified.sessionToken
    }

    /// The newest code sent to `phone`, waiting up to 10 s for it to reach the log.
    private static func code(for phone: String, in log: String) async throws -> String {
        for _ in 0..<500 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let body =
                text.split(separator: "\n").lazy.reversed()
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["to"] as? String == phone && $0["kind"] as? String == "verification_code" }?["body"] as? String
            if let body, let range = body.range(of: #"\d{6}"#, options: .regularExpression) { return String(body[range]) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("no verification code for \(phone) in \(log) within 10 s")
    }
}
