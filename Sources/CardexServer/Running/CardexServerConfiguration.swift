import CardexCore
import CardexDAV
import CardexNotify
import CardexPostgres
import Foundation
import FramedRPC

/// Everything `cardex serve` can be told. ``defaults`` is the embedded development setup.
public struct CardexServerConfiguration: Sendable, DocumentedDefaults {
    /// Where the server's TLS certificate comes from.
    public enum Certificate: Sendable, Hashable {
        /// A development authority and server certificate in the data directory, made on first run.
        case development
        /// PEM files: the certificate chain and its private key.
        case files(certificateChain: String, privateKey: String)
    }

    /// Where accounts, cards and everything else are stored.
    public enum Database: Sendable, Equatable {
        /// SQLite: the file `cardex.sqlite` in the data directory.
        case embedded
        /// A PostgreSQL database: its server, role, TLS and the pool's limits.
        case postgres(PostgresStoreConfiguration)

        /// A PostgreSQL database named by a URL,
        /// `postgres://user:password@host:port/database?sslmode=MODE&sslrootcert=PATH`, with
        /// the pool's `limits`; see ``PostgresStoreConfiguration/init(url:limits:)``.
        /// - Throws: `PostgresConfigurationError` naming the part of the URL that is wrong.
        public static func postgres(url: String, limits: PostgresStoreConfiguration.Limits = .defaults) throws -> Database {
            .postgres(try PostgresStoreConfiguration(url: url, limits: limits))
        }
    }

    /// How offline messages (verification codes, invitations, notices) leave the server.
    public enum Notifications: Sendable, Hashable {
        /// Appended as JSON lines to a file; `nil` means `notifications.log` in the data directory.
        case fileLog(path: String?)
        /// POSTed as JSON to an HTTP(S) endpoint, the way SMS gateways are driven, with `headers`
        /// on every request (such as the gateway's `Authorization`).
        case webhook(url: String, headers: [String: String] = [:])
    }

    /// The address to listen on.
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int
    /// Where the data is stored.
    public var database: Database
    /// Holds the database (when embedded), the code-hashing key, the development certificate and the log of notifications.
    public var dataDirectory: String
    /// The server secret's file when it is not the data directory's `code-hashing.key`: for
    /// several instances on one PostgreSQL database, which must all hold the same secret.
    /// Created (32 random bytes, mode 0600) when missing, as the default one.
    public var secretFile: String?
    /// The TLS certificate.
    public var certificate: Certificate
    /// The region whose national numbers (written without `+`) are understood, an ISO 3166-1
    /// alpha-2 code such as `US`; see ``PhoneNumberParser``.
    public var defaultRegion: String
    /// E.164 prefixes (such as `+1555`) under which numbers in no assigned range are accepted, for
    /// test and demo servers; empty on a real one. See ``PhoneNumberParser``.
    public var testNumberPrefixes: [String]
    /// Verification codes: lifetime, tries, resend limits.
    public var registration: RegistrationPolicy
    /// Card size limits.
    public var cardLimits: CardLimits
    /// Earlier versions kept per card.
    public var cardHistoryLimit: Int
    /// Address-book size limits.
    public var bookLimits: BookLimits
    /// Limits on groups: owned groups, members, pending invitations.
    public var groups: GroupPolicy
    /// Limits on sharing: recipients per call, unanswered shares, notices per number.
    public var sharing: SharingPolicy
    /// Anti-enumeration budgets of lookups by number, and the size of a discovery.
    public var lookup: LookupPolicy
    /// How long and how many events are kept per person.
    public var events: EventPolicy
    /// Event streams per person.
    public var maxEventStreamsPerUser: Int
    /// On a PostgreSQL database shared with other instances: how long after its last keep-alive
    /// (sent every third of this) the others still count this instance's devices online. Once
    /// an instance dies, shares to the people it held are delivered as to people offline (with
    /// a notice) after at most this long.
    public var instanceExpiry: Duration
    /// On PostgreSQL: how often the health checks' view of the database is renewed (a probe
    /// that gets no answer within 2 s makes the server report NOT_SERVING).
    public var healthProbeInterval: Duration
    /// Whether the server also serves `framedrpc.reflection.v1.ServerReflection`, which lists
    /// the services and returns the proto files that define them (for the `framedrpc` CLI).
    /// It tells anyone who connects the whole API.
    public var reflection: Bool
    /// Where `GET /metrics` is served over plain HTTP, in Prometheus's text format; nil keeps no
    /// metrics at all. Keep it on loopback or a private network: it tells call rates and queue
    /// depths to whoever asks.
    public var metrics: ListenAddress?
    /// Where CardDAV is served over HTTPS, with the RPC server's certificate and TLS policy, for
    /// contacts apps signed in with an app password; nil serves none.
    public var cardDAV: ListenAddress?
    /// CardDAV's request limits.
    public var cardDAVSettings: CardDAVSettings
    /// With a tracer (``CardexServer/init(configuration:logger:clock:notifier:interceptors:tracer:)``):
    /// the share of calls without a trace context that start a trace (one in `1 / ratio`). Calls
    /// that carry one always reach the tracer, whose sampler follows the caller.
    public var traceSampleRatio: Double
    /// The notification channel.
    public var notifications: Notifications
    /// Retries and polling of notification delivery.
    public var notificationWorker: NotificationWorker.Configuration
    /// Connection and call limits of the RPC layer.
    public var rpc: ServerConfiguration
    /// How long in-flight calls may finish on shutdown before they end with UNAVAILABLE; shutdown
    /// returns within this plus `rpc.connection.tlsCloseTimeout`.
    public var shutdownGracePeriod: Duration

    /// The embedded development setup, every value `cardex serve` starts from: listens on
    /// 127.0.0.1:50051; data in `./cardex-data`, the database embedded (SQLite) there, with its
    /// secret and a development certificate made there; national numbers read as in region US,
    /// no test number prefixes; the policies' and limits' own `defaults`; 10 earlier versions
    /// kept per card; 16 event streams per person; on PostgreSQL, instances counted online
    /// 15 s after their last keep-alive and the health view renewed every 5 s; no reflection
    /// (it tells anyone the whole API), no metrics, no CardDAV; one call in 1,000 without a
    /// trace context starts a trace (with swift-otel a recorded span costs about ten calls'
    /// time, docs/BENCHMARKS.md); notifications appended to `cardex-data/notifications.log`;
    /// 10 seconds for in-flight calls on shutdown.
    public static var defaults: CardexServerConfiguration {
        CardexServerConfiguration(
            host: "127.0.0.1",
            port: 50051,
            database: .embedded,
            dataDirectory: "./cardex-data",
            secretFile: nil,
            certificate: .development,
            defaultRegion: "US",
            testNumberPrefixes: [],
            registration: .defaults,
            cardLimits: .defaults,
            cardHistoryLimit: 10,
            bookLimits: .defaults,
            groups: .defaults,
            sharing: .defaults,
            lookup: .defaults,
            events: .defaults,
            maxEventStreamsPerUser: 16,
            instanceExpiry: .seconds(15),
            healthProbeInterval: .seconds(5),
            reflection: false,
            metrics: nil,
            cardDAV: nil,
            cardDAVSettings: .defaults,
            traceSampleRatio: 0.001,
            notifications: .fileLog(path: nil),
            notificationWorker: .defaults,
            rpc: .defaults,
            shutdownGracePeriod: .seconds(10))
    }

    /// An address an endpoint beside the RPC server listens on (metrics, CardDAV).
    public struct ListenAddress: Sendable, Hashable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int

        public init(host: String = "127.0.0.1", port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// The database file when the database is embedded.
    public var databasePath: String { path("cardex.sqlite") }
    /// The server secret (it keys verification-code hashes, number digests and sealed messages):
    /// ``secretFile``, or `code-hashing.key` in the data directory.
    public var secretPath: String { secretFile ?? path("code-hashing.key") }
    /// The file log of notifications when no other path is given.
    public var defaultNotificationLogPath: String { path("notifications.log") }

    private func path(_ name: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(name).path
    }
}
