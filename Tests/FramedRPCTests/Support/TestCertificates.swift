import Foundation
import FramedRPC

/// The committed test certificates (see Certificates/README.md).
enum TestCertificates {
    /// Absolute path of a file in Certificates/.
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Certificates") else {
            fatalError("test certificate \(name) is missing from the test bundle")
        }
        return url.path
    }

    /// The server's TLS configuration; with `mutual`, clients must present a certificate from ca.pem.
    static func server(mutual: Bool = false) throws -> ServerTLSConfiguration {
        try ServerTLSConfiguration(
            certificateChainPath: path("server.pem"),
            privateKeyPath: path("server-key.pem"),
            clientCAPath: mutual ? path("ca.pem") : nil
        )
    }

    /// A client trusting ca.pem, optionally presenting `certificate` (`client` or `other-client`).
    static func client(certificate: String? = nil) throws -> ClientTLSConfiguration {
        try ClientTLSConfiguration(
            trustRootsPath: path("ca.pem"),
            serverHostname: "localhost",
            clientCertificatePath: certificate.map { path("\($0).pem") },
            clientKeyPath: certificate.map { path("\($0)-key.pem") }
        )
    }
}
