import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority made for one use and a server certificate it signed, as PEM text:
/// for development servers, tests and benchmarks on one machine, never for production.
///
/// Both keys are P-256, both certificates ECDSA with SHA-256. The server certificate names
/// `localhost`, 127.0.0.1, ::1 and each extra host name or IPv4 address given (not 0.0.0.0).
/// The authority's private key is not kept: once made, nothing else can be signed with it.
public struct DevelopmentCertificates: Sendable {
    /// The authority's certificate, the one clients trust.
    public let authority: String
    /// The server's certificate, signed by the authority: the server's chain.
    public let certificate: String
    /// The server's private key.
    public let privateKey: String

    /// Makes the authority and the server certificate, both valid from `validFrom` to
    /// `validUntil`, with `organization` in their names (the authority is "`organization`
    /// development CA", the server `localhost`).
    /// - Throws: swift-certificates' error when a certificate cannot be built.
    public init(organization: String, hostnames: [String] = [], validFrom: Date, validUntil: Date) throws {
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName {
            OrganizationName(organization)
            CommonName("\(organization) development CA")
        }
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
                OrganizationName(organization)
                CommonName("localhost")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(Self.alternativeNames(for: hostnames))
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        self.authority = try authority.serializeAsPEM().pemString
        self.certificate = try server.serializeAsPEM().pemString
        self.privateKey = serverKey.pemRepresentation
    }

    /// localhost and the loopback addresses, plus each extra name or literal IPv4 address.
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
