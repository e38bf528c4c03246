import DevelopmentCertificates
import Foundation

/// A TLS certificate for development, made on first run when no certificate is configured.
///
/// It is a one-off certificate authority (`dev-ca.pem`, the file clients trust) and a server
/// certificate it signed (`dev-server.pem`, `dev-server-key.pem`) for `localhost`, 127.0.0.1,
/// ::1 and the configured host. The authority's private key is thrown away after signing, so
/// nothing else can ever be signed with it. Existing files are reused.
public struct DevelopmentCertificate: Sendable {
    /// The certificate clients trust (`--ca` for the CLI).
    public let authorityPath: String
    /// The server's certificate chain.
    public let certificatePath: String
    /// The server's private key. Every file is mode 0600, in a 0700 directory.
    public let privateKeyPath: String

    /// How long a development certificate is valid.
    static let lifetime: TimeInterval = 397 * 24 * 3600

    /// The files in `directory`, created if missing.
    /// - Throws: when the files cannot be written.
    public static func loadOrCreate(in directory: String, hostnames: [String]) throws -> DevelopmentCertificate {
        let base = URL(fileURLWithPath: directory)
        let files = DevelopmentCertificate(
            authorityPath: base.appendingPathComponent("dev-ca.pem").path,
            certificatePath: base.appendingPathComponent("dev-server.pem").path,
            privateKeyPath: base.appendingPathComponent("dev-server-key.pem").path)
        let manager = FileManager.default
        if [files.authorityPath, files.certificatePath, files.privateKeyPath].allSatisfy(manager.fileExists) {
            return files
        }
        try manager.createDirectory(at: base, withIntermediateDirectories: true, attributes: [.posixPermissions: DataDirectory.directoryMode])
        let now = Date()
        let made = try DevelopmentCertificates(
            organization: "Cardex", hostnames: hostnames, validFrom: now.addingTimeInterval(-3600), validUntil: now.addingTimeInterval(lifetime))
        try DataDirectory.writePrivately(Data(made.privateKey.utf8), to: files.privateKeyPath)
        try DataDirectory.writePrivately(Data(made.certificate.utf8), to: files.certificatePath)
        try DataDirectory.writePrivately(Data(made.authority.utf8), to: files.authorityPath)
        return files
    }
}
