import DevelopmentCertificates
import Foundation

/// A one-use authority and the `localhost` / 127.0.0.1 certificate it signed, valid 2 days, in
/// a temporary folder (``DevelopmentCertificates``, as `cardex serve` makes its own).
struct ThrowawayCertificate: Sendable {
    /// The folder holding the files; ``remove()`` deletes it.
    let directory: URL
    /// PEM authority certificate: the clients' trust root.
    var authorityPath: String { directory.appendingPathComponent("ca.pem").path }
    /// PEM certificate: the servers' chain.
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    /// PEM private key.
    var keyPath: String { directory.appendingPathComponent("key.pem").path }

    /// Makes the certificates and writes them; throws when either fails.
    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("framedrpc-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        RunCleanup.register(directory: directory)
        do {
            let now = Date()
            let made = try DevelopmentCertificates(
                organization: "framedrpc-bench", validFrom: now.addingTimeInterval(-3600), validUntil: now.addingTimeInterval(2 * 86_400))
            try Data(made.authority.utf8).write(to: URL(fileURLWithPath: authorityPath))
            try Data(made.certificate.utf8).write(to: URL(fileURLWithPath: certificatePath))
            try Data(made.privateKey.utf8).write(to: URL(fileURLWithPath: keyPath))
        } catch {
            remove()
            throw error
        }
    }

    /// Deletes the folder and the files.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
        RunCleanup.unregister(directory: directory)
    }
}
