import FramedRPC
import Logging

/// The server's TLS setup from the configuration, making a development certificate if needed.
struct ServerTLS {
    let configuration: ServerTLSConfiguration
    /// The file clients trust, when the server made a development certificate.
    let trustRootPath: String?

    static func make(_ configuration: CardexServerConfiguration, logger: Logger) throws -> ServerTLS {
        switch configuration.certificate {
        case .files(let chain, let key):
            return ServerTLS(
                configuration: try ServerTLSConfiguration(certificateChainPath: chain, privateKeyPath: key),
                trustRootPath: nil)
        case .development:
            let files = try DevelopmentCertificate.loadOrCreate(in: configuration.dataDirectory, hostnames: [configuration.host])
            logger.notice(
                "using a development certificate: clients must trust \(files.authorityPath) (cardex --ca \(files.authorityPath))")
            return ServerTLS(
                configuration: try ServerTLSConfiguration(certificateChainPath: files.certificatePath, privateKeyPath: files.privateKeyPath),
                trustRootPath: files.authorityPath)
        }
    }
}
