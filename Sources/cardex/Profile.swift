import Foundation

/// What the CLI remembers between commands: the server, the trusted authority and the session.
/// Kept as JSON (mode 0600: it holds a session token) at `$CARDEX_PROFILE` or
/// `~/.config/cardex/profile.json`.
struct Profile: Codable {
    var host: String
    var port: Int
    var trustRootsPath: String?
    var token: String?
    var userID: String?
    var phone: String?
    /// The token of the last `cardex sync`, where the next one starts; cleared when another account signs in.
    var syncToken: String?

    static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["CARDEX_PROFILE"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/cardex/profile.json").path
    }

    static func load(from path: String) throws -> Profile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try JSONDecoder().decode(Profile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func save(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(self), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
