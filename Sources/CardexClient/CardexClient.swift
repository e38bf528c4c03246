import CardexProto
import FramedRPC

/// The Swift SDK for Cardex: one connection and a typed client per service, authenticated by
/// ``SessionCredentials``.
///
/// ```swift
/// let client = try CardexClient(host: "localhost", port: 50051, trustRootsPath: "cardex-data/dev-ca.pem")
/// try await client.registration.requestCode(.with { $0.phone = "+12015550123"; $0.purpose = .register })
/// let signIn = try await client.registration.verifyCode(.with { … })
/// client.credentials.token = signIn.sessionToken
/// let me = try await client.cards.getMyCard(.init())
/// ```
/// Safe to share between tasks; calls run concurrently over the one connection.
public struct CardexClient: Sendable {
    /// The underlying RPC client.
    public let rpc: RPCClient
    /// The token sent with every call.
    public let credentials: SessionCredentials

    /// Sign-in by code, and the code step of a number change.
    public var registration: Cardex_V1_RegistrationService.Client { .init(wrapping: rpc) }
    /// Settings, sessions, logout, account deletion.
    public var account: Cardex_V1_AccountService.Client { .init(wrapping: rpc) }
    /// My card and other people's.
    public var cards: Cardex_V1_CardService.Client { .init(wrapping: rpc) }
    /// Sharing my card; the inbox of shares sent to me.
    public var shares: Cardex_V1_ShareService.Client { .init(wrapping: rpc) }
    /// Groups: shared address books.
    public var groups: Cardex_V1_GroupService.Client { .init(wrapping: rpc) }
    /// Query-update and delta sync.
    public var sync: Cardex_V1_SyncService.Client { .init(wrapping: rpc) }
    /// My cloud address book.
    public var book: Cardex_V1_AddressBookService.Client { .init(wrapping: rpc) }
    /// This device's event stream.
    public var events: Cardex_V1_EventService.Client { .init(wrapping: rpc) }
    /// Caller-ID lookup and contact discovery.
    public var lookup: Cardex_V1_LookupService.Client { .init(wrapping: rpc) }

    /// Connects over TLS (lazily, on the first call).
    /// - Parameters:
    ///   - trustRootsPath: PEM file of the authority to trust (for a development server, its `dev-ca.pem`);
    ///     `nil` trusts the system's roots.
    ///   - token: a session token from an earlier sign-in.
    /// - Throws: when the trust roots cannot be read.
    public init(
        host: String, port: Int, trustRootsPath: String?, serverHostname: String? = nil, token: String? = nil,
        configuration: ClientConfiguration = .defaults
    ) throws {
        let credentials = SessionCredentials(token: token)
        let tls =
            try trustRootsPath.map { try ClientTLSConfiguration(trustRootsPath: $0, serverHostname: serverHostname) }
            ?? ClientTLSConfiguration(serverHostname: serverHostname)
        self.init(
            rpc: try RPCClient(host: host, port: port, tls: tls, configuration: configuration, interceptors: [credentials]),
            credentials: credentials)
    }

    /// Wraps an RPC client created with `credentials` among its interceptors (for example an
    /// in-process one).
    public init(rpc: RPCClient, credentials: SessionCredentials) {
        self.rpc = rpc
        self.credentials = credentials
    }

    /// Closes the connection.
    public func close() async {
        await rpc.close()
    }
}
