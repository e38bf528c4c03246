import ArgumentParser
import CardexCore
import CardexPostgres
import CardexServer
import FramedRPC
import Foundation
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

    @Option(help: "Address to listen on.") var host = defaults.host
    @Option(help: "TCP port (0 picks a free one).") var port = defaults.port
    @Option(name: .customLong("data-dir"), help: "Directory for the database, keys, development certificate and notification log.")
    var dataDirectory = defaults.dataDirectory
    @Option(
        help: ArgumentHelp(
            "PostgreSQL database instead of the embedded SQLite: postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=ca.pem (sslmode disable, require or verify-full; default require).",
            discussion: "Or set CARDEX_DATABASE_URL, which keeps the password out of the process list."))
    var database: String?
    @Option(
        help: ArgumentHelp(
            "The server secret's file (default: <data-dir>/code-hashing.key; made, 32 random bytes, when missing).",
            discussion: "Instances sharing one PostgreSQL database must all use the same file: the database records the first one's fingerprint and refuses the others."))
    var secretFile: String?
    @Option(help: "Most connections to PostgreSQL (with --database).") var databaseConnections = PostgresStoreConfiguration.Limits.defaults.maxConnections
    @Option(help: "PEM certificate chain (needs --key).") var cert: String?
    @Option(help: "PEM private key (needs --cert).") var key: String?
    @Option(help: "Region whose national numbers (written without +) are understood: an ISO 3166 code such as US, GB or DE.")
    var defaultRegion = defaults.defaultRegion
    @Option(
        name: .customLong("test-number-prefix"),
        help: "Also accept numbers under this E.164 prefix (such as +1555) that are in no assigned range, for test and demo servers. Repeatable; none by default.")
    var testNumberPrefixes = defaults.testNumberPrefixes
    @Option(help: "POST notifications (codes, invitations) as JSON to this URL instead of the file log.") var webhookURL: String?
    @Option(help: "File log of notifications (default: <data-dir>/notifications.log).") var notificationLog: String?
    @Option(help: "Seconds a verification code stays valid.") var codeLifetime = Int(defaults.registration.codeLifetime.timeInterval)
    @Option(help: "Wrong tries after which a code is void.") var codeAttempts = defaults.registration.maxAttempts
    @Option(help: "Code requests allowed per number per hour.") var codesPerNumber = defaults.registration.maxRequestsPerNumber
    @Option(help: "Code requests allowed per client address per hour.") var codesPerAddress = defaults.registration.maxRequestsPerAddress
    @Option(help: "Most fields on a card.") var cardFields = defaults.cardLimits.maxFields
    @Option(help: "Shares one person may have waiting for an answer.") var maxUnansweredShares = defaults.sharing.maxUnansweredShares
    @Option(help: "Days events are kept for devices to resume from.") var eventRetentionDays =
        Int(defaults.events.retention.timeInterval / 86_400)
    @Option(help: "Most events kept per person.") var maxEventsPerUser = defaults.events.maxEventsPerUser
    @Option(help: "Most open event streams per person.") var maxEventStreams = defaults.maxEventStreamsPerUser
    @Option(
        help: ArgumentHelp(
            "With --database: seconds the other instances keep counting this one's devices online after it stops answering.",
            discussion: "An instance renews its time every third of this; one that dies (or loses the database) stops counting as holding devices within this time."))
    var instanceExpiry = Int(defaults.instanceExpiry.timeInterval)
    @Option(help: "Groups one person may own.") var maxOwnedGroups = defaults.groups.maxOwnedGroups
    @Option(help: "Most members in a group.") var maxGroupMembers = defaults.groups.maxMembers
    @Option(help: "Most entries in an address book.") var maxBookEntries = defaults.bookLimits.maxEntries
    @Option(help: "New numbers an account may look up at once (its lookup budget's burst).")
    var lookupBurst = defaults.lookup.perAccount.burst
    @Option(help: "New numbers an account's lookup budget regains per hour.")
    var lookupRefillPerHour = defaults.lookup.perAccount.refillPerHour
    @Option(help: "New numbers one client address may look up at once, over all its accounts.")
    var lookupAddressBurst = defaults.lookup.perAddress.burst
    @Option(help: "New numbers a client address's lookup budget regains per hour.")
    var lookupAddressRefillPerHour = defaults.lookup.perAddress.refillPerHour
    @Option(help: "Most concurrent connections.") var maxConnections = defaults.rpc.maxConnections
    @Option(help: "Most concurrent calls per connection.") var maxCallsPerConnection = defaults.rpc.maxConcurrentCallsPerConnection
    @Option(help: "Largest frame in bytes.") var maxFrameSize = defaults.rpc.maxFrameSize
    @Option(help: "Most concurrent connections from one client address (IPv4, or IPv6 /64).")
    var maxConnectionsPerAddress = defaults.rpc.maxConnectionsPerAddress
    @Option(help: "Most connections from one client address still in their TLS handshake.")
    var maxPendingHandshakesPerAddress = defaults.rpc.maxPendingHandshakesPerAddress
    @Option(help: "Largest request metadata in bytes (each entry counts key + value + 32).")
    var maxMetadataSize = defaults.rpc.maxMetadataSize
    @Option(help: "Bytes that may wait to be sent to a client that does not read before its connection is closed.")
    var maxBufferedOutboundBytes = defaults.rpc.maxBufferedOutboundBytes
    @Option(help: "Seconds in-flight calls may take to finish on SIGTERM; then they end with UNAVAILABLE and the process exits (within 1 s).") var shutdownGrace = Int(defaults.shutdownGracePeriod.timeInterval)
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (debug adds a line per call).") var logLevel = "info"
    @Option(help: "Log format: text, or json (one object per line, for log collectors).") var logFormat = "text"
    @Option(help: "Serve Prometheus metrics at http://ADDRESS/metrics: a port (on 127.0.0.1) or HOST:PORT. Off by default.")
    var metrics: String?
    @Option(
        help: ArgumentHelp(
            "Trace every call and store transaction, and export the spans to this OpenTelemetry collector over OTLP/HTTP.",
            discussion: "Such as http://127.0.0.1:4318 (/v1/traces is added to a URL without a path). OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json), OTEL_TRACES_SAMPLER and the other OTEL_ variables tune it."))
    var otlpEndpoint: String?
    @Option(help: "With --otlp-endpoint: the share of calls without a W3C traceparent that start a trace (calls with one always follow it).")
    var traceSampleRatio = defaults.traceSampleRatio
    @Flag(help: "Also serve framedrpc.reflection.v1 (the services and their proto files), for the framedrpc CLI.") var reflection = false

    /// `--database`, else `CARDEX_DATABASE_URL`, else none (the embedded SQLite).
    private var databaseURL: String? {
        database ?? ProcessInfo.processInfo.environment["CARDEX_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The configured database.
    private func databaseChoice() throws -> CardexServerConfiguration.Database {
        guard let url = databaseURL else { return .embedded }
        do {
            return try .postgres(url: url, limits: PostgresStoreConfiguration.Limits(maxConnections: databaseConnections))
        } catch {
            throw ValidationError("\(database == nil ? "CARDEX_DATABASE_URL" : "--database") is not a usable PostgreSQL URL: \(error)")
        }
    }

    /// `--metrics`: `PORT` (on loopback), `HOST:PORT` or `[IPv6]:PORT`.
    private func metricsAddress() throws -> CardexServerConfiguration.MetricsAddress? {
        guard let metrics else { return nil }
        let (host, portText): (String, Substring)
        if let colon = metrics.lastIndex(of: ":") {
            host = metrics[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            portText = metrics[metrics.index(after: colon)...]
        } else {
            (host, portText) = ("127.0.0.1", Substring(metrics))
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else {
            throw ValidationError("--metrics is a port or HOST:PORT, such as 9464 or 127.0.0.1:9464, not \(metrics)")
        }
        return .init(host: host, port: port)
    }

    func validate() throws {
        _ = try databaseChoice()
        _ = try metricsAddress()
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
        guard webhookURL == nil || notificationLog == nil else { throw ValidationError("choose --webhook-url or --notification-log, not both") }
        guard PhoneNumberParser.isSupportedRegion(defaultRegion) else {
            throw ValidationError("--default-region \(defaultRegion) is not a region with a numbering plan: use an upper-case ISO 3166 code such as US, GB or DE")
        }
        if let prefix = testNumberPrefixes.first(where: { !PhoneNumberParser.isTestNumberPrefix($0) }) {
            throw ValidationError("--test-number-prefix \(prefix) is not + and digits beginning with a country code, such as +1555")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format is text or json, not \(logFormat)") }
        guard (0...1).contains(traceSampleRatio) else { throw ValidationError("--trace-sample-ratio is between 0 and 1, not \(traceSampleRatio)") }
        let limits = [
            ("--max-unanswered-shares", maxUnansweredShares), ("--event-retention-days", eventRetentionDays),
            ("--max-events-per-user", maxEventsPerUser), ("--max-event-streams", maxEventStreams),
            ("--max-owned-groups", maxOwnedGroups), ("--max-group-members", maxGroupMembers), ("--max-book-entries", maxBookEntries),
            ("--lookup-burst", lookupBurst), ("--lookup-address-burst", lookupAddressBurst),
            ("--max-buffered-outbound-bytes", maxBufferedOutboundBytes), ("--database-connections", databaseConnections),
            ("--instance-expiry", instanceExpiry),
        ]
        for (flag, value) in [("--lookup-refill-per-hour", lookupRefillPerHour), ("--lookup-address-refill-per-hour", lookupAddressRefillPerHour)]
        where value < 0 {
            throw ValidationError("\(flag) must be 0 or more")
        }
        for (flag, value) in limits where value < 1 {
            throw ValidationError("\(flag) must be at least 1")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap(
            { label, provider in
                var handler: any LogHandler =
                    json ? JSONLogHandler(label: label, metadataProvider: provider) : StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }, metadataProvider: nil)
        let logger = Logger(label: "cardex")

        var configuration = Self.defaults
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = dataDirectory
        configuration.database = try databaseChoice()
        configuration.secretFile = secretFile
        if let cert, let key { configuration.certificate = .files(certificateChain: cert, privateKey: key) }
        configuration.defaultRegion = defaultRegion
        configuration.testNumberPrefixes = testNumberPrefixes
        configuration.notifications = webhookURL.map { .webhook(url: $0) } ?? .fileLog(path: notificationLog)
        configuration.registration.codeLifetime = .seconds(codeLifetime)
        configuration.registration.maxAttempts = codeAttempts
        configuration.registration.maxRequestsPerNumber = codesPerNumber
        configuration.registration.maxRequestsPerAddress = codesPerAddress
        configuration.cardLimits.maxFields = cardFields
        configuration.sharing.maxUnansweredShares = maxUnansweredShares
        configuration.events.retention = .seconds(eventRetentionDays * 86_400)
        configuration.events.maxEventsPerUser = maxEventsPerUser
        configuration.maxEventStreamsPerUser = maxEventStreams
        configuration.instanceExpiry = .seconds(instanceExpiry)
        configuration.groups.maxOwnedGroups = maxOwnedGroups
        configuration.groups.maxMembers = maxGroupMembers
        configuration.bookLimits.maxEntries = maxBookEntries
        configuration.lookup.perAccount = BudgetRule(burst: lookupBurst, refillPerHour: lookupRefillPerHour)
        configuration.lookup.perAddress = BudgetRule(burst: lookupAddressBurst, refillPerHour: lookupAddressRefillPerHour)
        configuration.rpc.maxConnections = maxConnections
        configuration.rpc.maxConcurrentCallsPerConnection = maxCallsPerConnection
        configuration.rpc.maxFrameSize = maxFrameSize
        configuration.rpc.maxConnectionsPerAddress = maxConnectionsPerAddress
        configuration.rpc.maxPendingHandshakesPerAddress = maxPendingHandshakesPerAddress
        configuration.rpc.maxMetadataSize = maxMetadataSize
        configuration.rpc.maxBufferedOutboundBytes = maxBufferedOutboundBytes
        configuration.shutdownGracePeriod = .seconds(shutdownGrace)
        configuration.reflection = reflection
        configuration.metrics = try metricsAddress()
        configuration.traceSampleRatio = traceSampleRatio

        let tracing = try otlpEndpoint.map { try Self.tracingBackend(endpoint: $0, logger: logger) }
        let server = CardexServer(configuration: configuration, logger: logger, tracer: tracing?.tracer)
        // The exporter first: the group stops services in reverse, so spans are flushed after the server stops.
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
