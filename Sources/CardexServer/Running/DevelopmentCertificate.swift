import Crypto
import Foundation
import SwiftASN1
import X509

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
        let (authority, certificate, key) = try make(hostnames: hostnames, now: Date())
        try DataDirectory.writePrivately(Data(key.utf8), to: files.privateKeyPath)
        try DataDirectory.writePrivately(Data(certificate.utf8), to: files.certificatePath)
        try DataDirectory.writePrivately(Data(authority.utf8), to: files.authorityPath)
        return files
    }

    /// PEM texts of the authority certificate, the server certificate and the server key.
    static func make(hostnames: [String], now: Date) throws -> (authority: String, certificate: String, key: String) {
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName {
            OrganizationName("Cardex")
            CommonName("Cardex development CA")
        }
        let validFrom = now.addingTimeInterval(-3600)
        let validUntil = now.addingTimeInterval(lifetime)
        let authority = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(authorityKey.publicKey),
            notValidBefore: validFrom,
            notValidAfter: validUntil,
            issuer: authorityName,
            subject: authorityName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: validFrom,
            notValidAfter: validUntil,
            issuer: authorityName,
            subject: try DistinguishedName {
                OrganizationName("Cardex")
                CommonName("localhost")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames(for: hostnames))
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        return (try authority.serializeAsPEM().pemString, try server.serializeAsPEM().pemString, serverKey.pemRepresentation)
    }

    /// localhost and the loopback addresses, plus each extra name or literal address.
    static func alternativeNames(for hostnames: [String]) -> [GeneralName] {
        var names: [GeneralName] = [
            .dnsName("localhost"),
            .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ]
        for host in hostnames where host != "localhost" && host != "127.0.0.1" && host != "::1" && !host.isEmpty {
            let octets = host.split(separator: ".").compactMap { UInt8($0) }
            if octets.count == 4 && host.split(separator: ".").count == 4 {
                if host != "0.0.0.0" { names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets)))) }
            } else if !host.contains(":") {
                names.append(.dnsName(host))
            }
        }
        return names
    }
}
