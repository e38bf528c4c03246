import ArgumentParser
import CardexCore
import CardexPostgres
import CardexServer
import Foundation
import FramedRPC
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// `cardex serve`: runs the server until SIGTERM or SIGINT, then drains.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Cardex server.",
        discussion: "With no --cert/--key it makes a development certificate in the data directory and prints the file clients must trust.")

    private static let defaults = CardexServerConfiguration.defaults

    @Option(
        help: ArgumentHelp(
            "A JSON file of settings: {\"port\": 50051, \"max-connections\": 2048, \"test-number-prefix\": [\"+1555\"]}.",
            discussion:
                "Each setting's key is its flag's name; CARDEX_<KEY> in the environment (CARDEX_MAX_CONNECTIONS) sets it too. A flag wins over the environment, which wins over the file."
        ))
    var config: String?
    @Flag(help: "Print every setting's value and where it came from (secrets masked), then exit.") var printConfig = false

    @Option(help: "Address to listen on (default \(defaults.host)).") var host: String?
    @Option(help: "TCP port, 0 picks a free one (default \(defaults.port)).") var port: Int?
    @Option(
        name: .customLong("data-dir"),
        help: "Directory for the database, keys, development certificate and notification log (default \(defaults.dataDirectory)).")
    var dataDirectory: String?
    @Option(
        name: [.customLong("database-url"), .customLong("database")],
        help: ArgumentHelp(
            "PostgreSQL database instead of the embedded SQLite: postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=ca.pem (sslmode disable, require or verify-full; default require).",
            discussion: "Better set CARDEX_DATABASE_URL, which keeps the password out of the process list."))
    var database: String?
    @Option(
        help: ArgumentHelp(
            "The server secret's file (default: <data-dir>/code-hashing.key; made, 32 random bytes, when missing).",
            discussion:
                "Instances sharing one PostgreSQL database must all use the same file: the database records the first one's fingerprint and refuses the others."
        ))
    var secretFile: String?
    @Option(help: "Most connections to PostgreSQL (default \(PostgresStoreConfiguration.Limits.defaults.maxConnections)).") var databaseConnections: Int?
    @Option(help: "PEM certificate chain (needs --key).") var cert: String?
    @Option(help: "PEM private key (needs --cert).") var key: String?
    @Option(
        help: "Region whose national numbers (written without +) are understood: an ISO 3166 code such as US, GB or DE (default \(defaults.defaultRegion)).")
    var defaultRegion: String?
    @Option(
        name: .customLong("test-number-prefix"),
        help:
            "Also accept numbers under this E.164 prefix (such as +1555) that are in no assigned range, for test and demo servers. Repeatable; none by default."
    )
    var testNumberPrefixes: [String] = []
    @Option(help: "POST notifications (codes, invitations) as JSON to this URL instead of the file log.") var webhookURL: String?
    @Option(
        name: .customLong("webhook-header"),
        help: ArgumentHelp(
            "A header sent with every webhook request, \"Name: value\" (such as the gateway's Authorization). Repeatable.",
            discussion: "Better set CARDEX_WEBHOOK_HEADER or the config file, which keep the value out of the process list."))
    var webhookHeaders: [String] = []
    @Option(help: "File log of notifications (default: <data-dir>/notifications.log).") var notificationLog: String?
    @Option(help: "Seconds a verification code stays valid (default \(Int(defaults.registration.codeLifetime.timeInterval))).") var codeLifetime: Int?
    @Option(help: "Wrong tries after which a code is void (default \(defaults.registration.maxAttempts)).") var codeAttempts: Int?
    @Option(help: "Code requests allowed per number per hour (default \(defaults.registration.maxRequestsPerNumber)).") var codesPerNumber: Int?
    @Option(help: "Code requests allowed per client address per hour (default \(defaults.registration.maxRequestsPerAddress)).") var codesPerAddress: Int?
    @Option(help: "Most fields on a card (default \(defaults.cardLimits.maxFields)).") var cardFields: Int?
    @Option(help: "Shares one person may have waiting for an answer (default \(defaults.sharing.maxUnansweredShares)).") var maxUnansweredShares: Int?
    @Option(help: "Days events are kept for devices to resume from (default \(Int(defaults.events.retention.timeInterval / 86_400))).") var eventRetentionDays:
        Int?
    @Option(help: "Most events kept per person (default \(defaults.events.maxEventsPerUser)).") var maxEventsPerUser: Int?
    @Option(help: "Most open event streams per person (default \(defaults.maxEventStreamsPerUser)).") var maxEventStreams: Int?
    @Option(
        help: ArgumentHelp(
            "With a PostgreSQL database: seconds the other instances keep counting this one's devices online after it stops answering (default \(Int(defaults.instanceExpiry.timeInterval))).",
            discussion:
                "An instance renews its time every third of this; one that dies (or loses the database) stops counting as holding devices within this time."))
    var instanceExpiry: Int?
    @Option(help: "Groups one person may own (default \(defaults.groups.maxOwnedGroups)).") var maxOwnedGroups: Int?
    @Option(help: "Most members in a group (default \(defaults.groups.maxMembers)).") var maxGroupMembers: Int?
    @Option(help: "Most entries in an address book (default \(defaults.bookLimits.maxEntries)).") var maxBookEntries: Int?
    @Option(help: "New numbers an account may look up at once: its lookup budget's burst (default \(defaults.lookup.perAccount.burst)).")
    var lookupBurst: Int?
    @Option(help: "New numbers an account's lookup budget regains per hour (default \(defaults.lookup.perAccount.refillPerHour)).")
    var lookupRefillPerHour: Int?
    @Option(help: "New numbers one client address may look up at once, over all its accounts (default \(defaults.lookup.perAddress.burst)).")
    var lookupAddressBurst: Int?
    @Option(help: "New numbers a client address's lookup budget regains per hour (default \(defaults.lookup.perAddress.refillPerHour)).")
    var lookupAddressRefillPerHour: Int?
    @Option(help: "Most concurrent connections, on each port: RPC and CardDAV (default \(defaults.rpc.admission.maxConnections)).") var maxConnections: Int?
    @Option(help: "Most concurrent calls per connection (default \(defaults.rpc.connection.maxConcurrentCalls)).") var maxCallsPerConnection: Int?
    @Option(help: "Largest frame in bytes (default \(defaults.rpc.frames.maxFrameSize)).") var maxFrameSize: Int?
    @Option(
        help:
            "Most concurrent connections from one client address, IPv4 or IPv6 /64, on each port (default \(defaults.rpc.admission.maxConnectionsPerAddress)).")
    var maxConnectionsPerAddress: Int?
    @Option(help: "Most connections from one client address still in their TLS handshake (default \(defaults.rpc.admission.maxPendingHandshakesPerAddress)).")
    var maxPendingHandshakesPerAddress: Int?
    @Option(help: "Largest request metadata in bytes, each entry counting key + value + 32 (default \(defaults.rpc.frames.maxMetadataSize)).")
    var maxMetadataSize: Int?
    @Option(
        help:
            "Bytes that may wait to be sent to a client that does not read before its connection is closed (default \(defaults.rpc.backpressure.maxBufferedOutboundBytes))."
    )
    var maxBufferedOutboundBytes: Int?
    @Option(
        help:
            "Seconds in-flight calls may take to finish on SIGTERM; then they end with UNAVAILABLE and the process exits within 1 s (default \(Int(defaults.shutdownGracePeriod.timeInterval)))."
    )
    var shutdownGrace: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical; debug adds a line per call (default info).") var logLevel: String?
    @Option(help: "Log format: text, or json, one object per line for log collectors (default text).") var logFormat: String?
    @Option(help: "Serve Prometheus metrics at http://ADDRESS/metrics: a port (on 127.0.0.1) or HOST:PORT. Off by default.")
    var metrics: String?
    @Option(
        help: ArgumentHelp(
            "Serve CardDAV at https://ADDRESS/ for contacts apps: a port (on --host) or HOST:PORT. Off by default.",
            discussion:
                "Same certificate and TLS policy as the RPC port. Apps sign in with the account's number and a password from `cardex app-password create`; discovery is /.well-known/carddav."
        ))
    var carddav: String?
    @Option(
        help: ArgumentHelp(
            "Trace every call and store transaction, and export the spans to this OpenTelemetry collector over OTLP/HTTP.",
            discussion:
                "Such as http://127.0.0.1:4318 (/v1/traces is added to a URL without a path). OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json) and the other OTEL_ variables tune the exporter."
        ))
    var otlpEndpoint: String?
    @Option(
        help:
            "With --otlp-endpoint: the share of calls without a W3C traceparent that start a trace; calls with one always follow it (default \(defaults.traceSampleRatio))."
    )
    var traceSampleRatio: Double?
    @Flag(
        inversion: .prefixedNo,
        help: "Also serve framedrpc.reflection.v1 (the services and their proto files), for the framedrpc CLI (default \(defaults.reflection ? "on" : "off")).")
    var reflection: Bool?

    func run() async throws {
        let settings = try await ServeSettings.resolve(self)
        if printConfig {
            FileHandle.standardOutput.write(Data(settings.printed.utf8))
            return
        }
        let (level, json) = (settings.logLevel, settings.jsonLogs)
        LoggingSystem.bootstrap(
            { label, provider in
                var handler: any LogHandler =
                    json ? JSONLogHandler(label: label, metadataProvider: provider) : StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }, metadataProvider: nil)
        let logger = Logger(label: "cardex")
        let configuration = settings.configuration

        let tracing = try settings.otlpEndpoint.map { try Self.tracingBackend(endpoint: $0, logger: logger) }
        let server = CardexServer(configuration: configuration, logger: logger, tracer: tracing?.tracer)
        // The exporter first: the group stops services in reverse, so spans are flushed after the server stops.
        // The server runs its own parts (ports, worker, background loops, store) as a group inside this one.
        var group = ServiceGroupConfiguration(
            services: (tracing.map { [.init(service: $0.exporter)] } ?? []) + [.init(service: server)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // In-flight calls get the grace period; past it plus a margin, the group cancels everything.
        group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod + .seconds(5)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

extension Serve {
    /// swift-otel's tracer and the service that batches and exports its spans (OTLP/HTTP to
    /// `endpoint`), with OpenTelemetry's W3C `traceparent` propagation. Only traces: metrics are
    /// scraped (`--metrics`) and logs go to standard error.
    static func tracingBackend(endpoint: String, logger: Logger) throws -> (tracer: any Tracer, exporter: any Service) {
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ValidationError("--otlp-endpoint is an http(s) URL such as http://127.0.0.1:4318, not \(endpoint)")
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "cardex"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.diagnosticLogger = .custom(logger)
        configuration.traces.otlpExporter.endpoint = url.path.isEmpty || url.path == "/" ? url.appending(path: "v1/traces").absoluteString : endpoint
        let (tracer, exporter) = try OTel.makeTracingBackend(configuration: configuration)
        return (tracer, exporter)
    }
}
