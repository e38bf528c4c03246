import ArgumentParser
import CardexCore
import CardexPostgres
import CardexServer
import Foundation
import Logging

/// Everything `cardex serve` runs with, each setting taken from its flag, the environment, the
/// config file or its default (``SettingSources``), and checked.
struct ServeSettings {
    var configuration = CardexServerConfiguration.defaults
    var logLevel = Logger.Level.info
    var jsonLogs = false
    var otlpEndpoint: String?
    /// What each setting resolved to, and from where, secrets masked: `--print-config`.
    var resolved: [SettingSources.Resolved] = []

    /// A database URL as `--print-config` shows it: the password masked.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? "****"
    }

    /// Webhook headers as `--print-config` shows them: names, values masked.
    static func namesOnly(_ lines: [String]) -> String {
        lines.map { line in (line.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "") + ": ****" }.joined(separator: ", ")
    }

    // swift-format-ignore: one line per setting reads best as a table
    static func resolve(_ flags: Serve) async throws -> ServeSettings {
        let defaults = CardexServerConfiguration.defaults
        var sources = try await SettingSources.open(configFile: flags.config)
        var settings = ServeSettings()
        var c = defaults

        c.host = try sources.string("host", flags.host, default: defaults.host)
        c.port = try sources.int("port", flags.port, default: defaults.port)
        c.dataDirectory = try sources.string("data-dir", flags.dataDirectory, default: defaults.dataDirectory)
        let databaseURL = try sources.optionalString("database-url", flags.database, show: Self.withoutPassword)
        let databaseConnections = try sources.int(
            "database-connections", flags.databaseConnections, default: PostgresStoreConfiguration.Limits.defaults.maxConnections)
        c.secretFile = try sources.optionalString("secret-file", flags.secretFile)
        let cert = try sources.optionalString("cert", flags.cert)
        let key = try sources.optionalString("key", flags.key)
        c.defaultRegion = try sources.string("default-region", flags.defaultRegion, default: defaults.defaultRegion)
        c.testNumberPrefixes = try sources.strings("test-number-prefix", flags.testNumberPrefixes, default: defaults.testNumberPrefixes)
        let webhookURL = try sources.optionalString("webhook-url", flags.webhookURL)
        let webhookHeaders = try sources.strings("webhook-header", flags.webhookHeaders, default: [], show: Self.namesOnly)
        let notificationLog = try sources.optionalString("notification-log", flags.notificationLog)
        c.registration.codeLifetime = .seconds(
            try sources.int("code-lifetime", flags.codeLifetime, default: Int(defaults.registration.codeLifetime.timeInterval)))
        c.registration.maxAttempts = try sources.int("code-attempts", flags.codeAttempts, default: defaults.registration.maxAttempts)
        c.registration.maxRequestsPerNumber = try sources.int("codes-per-number", flags.codesPerNumber, default: defaults.registration.maxRequestsPerNumber)
        c.registration.maxRequestsPerAddress = try sources.int("codes-per-address", flags.codesPerAddress, default: defaults.registration.maxRequestsPerAddress)
        c.cardLimits.maxFields = try sources.int("card-fields", flags.cardFields, default: defaults.cardLimits.maxFields)
        c.sharing.maxUnansweredShares = try sources.int("max-unanswered-shares", flags.maxUnansweredShares, default: defaults.sharing.maxUnansweredShares)
        let retentionDays = try sources.int("event-retention-days", flags.eventRetentionDays, default: Int(defaults.events.retention.timeInterval / 86_400))
        c.events.retention = .seconds(retentionDays * 86_400)
        c.events.maxEventsPerUser = try sources.int("max-events-per-user", flags.maxEventsPerUser, default: defaults.events.maxEventsPerUser)
        c.maxEventStreamsPerUser = try sources.int("max-event-streams", flags.maxEventStreams, default: defaults.maxEventStreamsPerUser)
        let instanceExpiry = try sources.int("instance-expiry", flags.instanceExpiry, default: Int(defaults.instanceExpiry.timeInterval))
        c.instanceExpiry = .seconds(instanceExpiry)
        c.groups.maxOwnedGroups = try sources.int("max-owned-groups", flags.maxOwnedGroups, default: defaults.groups.maxOwnedGroups)
        c.groups.maxMembers = try sources.int("max-group-members", flags.maxGroupMembers, default: defaults.groups.maxMembers)
        c.bookLimits.maxEntries = try sources.int("max-book-entries", flags.maxBookEntries, default: defaults.bookLimits.maxEntries)
        c.lookup.perAccount = BudgetRule(
            burst: try sources.int("lookup-burst", flags.lookupBurst, default: defaults.lookup.perAccount.burst),
            refillPerHour: try sources.int("lookup-refill-per-hour", flags.lookupRefillPerHour, default: defaults.lookup.perAccount.refillPerHour))
        c.lookup.perAddress = BudgetRule(
            burst: try sources.int("lookup-address-burst", flags.lookupAddressBurst, default: defaults.lookup.perAddress.burst),
            refillPerHour: try sources.int(
                "lookup-address-refill-per-hour", flags.lookupAddressRefillPerHour, default: defaults.lookup.perAddress.refillPerHour))
        c.rpc.admission.maxConnections = try sources.int("max-connections", flags.maxConnections, default: defaults.rpc.admission.maxConnections)
        c.rpc.connection.maxConcurrentCalls = try sources.int(
            "max-calls-per-connection", flags.maxCallsPerConnection, default: defaults.rpc.connection.maxConcurrentCalls)
        c.rpc.frames.maxFrameSize = try sources.int("max-frame-size", flags.maxFrameSize, default: defaults.rpc.frames.maxFrameSize)
        c.rpc.admission.maxConnectionsPerAddress = try sources.int(
            "max-connections-per-address", flags.maxConnectionsPerAddress, default: defaults.rpc.admission.maxConnectionsPerAddress)
        // The connection limits hold on each port: CardDAV's too.
        c.cardDAVSettings.maxConnections = c.rpc.admission.maxConnections
        c.cardDAVSettings.maxConnectionsPerAddress = c.rpc.admission.maxConnectionsPerAddress
        c.rpc.admission.maxPendingHandshakesPerAddress = try sources.int(
            "max-pending-handshakes-per-address", flags.maxPendingHandshakesPerAddress, default: defaults.rpc.admission.maxPendingHandshakesPerAddress)
        c.rpc.frames.maxMetadataSize = try sources.int("max-metadata-size", flags.maxMetadataSize, default: defaults.rpc.frames.maxMetadataSize)
        c.rpc.backpressure.maxBufferedOutboundBytes = try sources.int(
            "max-buffered-outbound-bytes", flags.maxBufferedOutboundBytes, default: defaults.rpc.backpressure.maxBufferedOutboundBytes)
        c.shutdownGracePeriod = .seconds(try sources.int("shutdown-grace", flags.shutdownGrace, default: Int(defaults.shutdownGracePeriod.timeInterval)))
        let logLevel = try sources.string("log-level", flags.logLevel, default: "info")
        let logFormat = try sources.string("log-format", flags.logFormat, default: "text")
        let metrics = try sources.optionalString("metrics", flags.metrics)
        let cardDAV = try sources.optionalString("carddav", flags.carddav)
        settings.otlpEndpoint = try sources.optionalString("otlp-endpoint", flags.otlpEndpoint)
        c.traceSampleRatio = try sources.double("trace-sample-ratio", flags.traceSampleRatio, default: defaults.traceSampleRatio)
        c.reflection = try sources.bool("reflection", flags.reflection, default: defaults.reflection)

        try sources.checkFileMode(secretKeys: ["database-url", "webhook-header"])
        let unknown = try sources.unknownFileKeys(known: Set(sources.resolved.map(\.key)))
        guard unknown.isEmpty else {
            throw ValidationError(
                "\(flags.config ?? "the config file") has keys that are no setting: \(unknown.joined(separator: ", ")) (see cardex serve --help)")
        }
        c.database = try database(databaseURL, connections: databaseConnections)
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
        if let cert, let key { c.certificate = .files(certificateChain: cert, privateKey: key) }
        guard webhookURL == nil || notificationLog == nil else { throw ValidationError("choose --webhook-url or --notification-log, not both") }
        c.notifications = try webhookURL.map { .webhook(url: $0, headers: try Self.headers(webhookHeaders)) } ?? .fileLog(path: notificationLog)
        c.metrics = try metrics.map { try Self.listenAddress($0, flag: "--metrics", defaultHost: "127.0.0.1", example: 9464) }
        c.cardDAV = try cardDAV.map { try Self.listenAddress($0, flag: "--carddav", defaultHost: c.host, example: 8443) }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format is text or json, not \(logFormat)") }
        try check(c, retentionDays: retentionDays, instanceExpiry: instanceExpiry, databaseConnections: databaseConnections)

        settings.configuration = c
        settings.logLevel = level
        settings.jsonLogs = logFormat == "json"
        settings.resolved = sources.resolved
        return settings
    }

    /// The configured database: PostgreSQL at `url`, else the embedded SQLite.
    private static func database(_ url: String?, connections: Int) throws -> CardexServerConfiguration.Database {
        guard let url else { return .embedded }
        do {
            return try .postgres(url: url, limits: PostgresStoreConfiguration.Limits.with { $0.maxConnections = connections })
        } catch {
            throw ValidationError("the database URL (--database, CARDEX_DATABASE_URL) is not a usable PostgreSQL URL: \(error)")
        }
    }

    /// An endpoint's address: `PORT` (on `defaultHost`), `HOST:PORT` or `[IPv6]:PORT`.
    private static func listenAddress(
        _ text: String, flag: String, defaultHost: String, example: Int
    ) throws -> CardexServerConfiguration.ListenAddress {
        let (host, portText): (String, Substring)
        if let colon = text.lastIndex(of: ":") {
            host = text[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            portText = text[text.index(after: colon)...]
        } else {
            (host, portText) = (defaultHost, Substring(text))
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else {
            throw ValidationError("\(flag) is a port or HOST:PORT, such as \(example) or 127.0.0.1:\(example), not \(text)")
        }
        return .init(host: host, port: port)
    }

    /// `--webhook-header 'Name: value'` lines as headers.
    private static func headers(_ lines: [String]) throws -> [String: String] {
        var headers: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard parts.count == 2, !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ValidationError("--webhook-header is \"Name: value\", such as \"Authorization: Bearer …\"")
            }
            guard !["content-type", "idempotency-key"].contains(name.lowercased()) else {
                throw ValidationError("--webhook-header \(name) is set by the server")
            }
            headers[name] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// The limits every setting must respect.
    private static func check(_ c: CardexServerConfiguration, retentionDays: Int, instanceExpiry: Int, databaseConnections: Int) throws {
        guard PhoneNumberParser.isSupportedRegion(c.defaultRegion) else {
            throw ValidationError(
                "--default-region \(c.defaultRegion) is not a region with a numbering plan: use an upper-case ISO 3166 code such as US, GB or DE")
        }
        if let prefix = c.testNumberPrefixes.first(where: { !PhoneNumberParser.isTestNumberPrefix($0) }) {
            throw ValidationError("--test-number-prefix \(prefix) is not + and digits beginning with a country code, such as +1555")
        }
        guard (0...1).contains(c.traceSampleRatio) else { throw ValidationError("--trace-sample-ratio is between 0 and 1, not \(c.traceSampleRatio)") }
        let limits = [
            ("--max-unanswered-shares", c.sharing.maxUnansweredShares), ("--event-retention-days", retentionDays),
            ("--max-events-per-user", c.events.maxEventsPerUser), ("--max-event-streams", c.maxEventStreamsPerUser),
            ("--max-owned-groups", c.groups.maxOwnedGroups), ("--max-group-members", c.groups.maxMembers), ("--max-book-entries", c.bookLimits.maxEntries),
            ("--lookup-burst", c.lookup.perAccount.burst), ("--lookup-address-burst", c.lookup.perAddress.burst),
            ("--max-buffered-outbound-bytes", c.rpc.backpressure.maxBufferedOutboundBytes), ("--database-connections", databaseConnections),
            ("--instance-expiry", instanceExpiry),
        ]
        for (flag, value) in [
            ("--lookup-refill-per-hour", c.lookup.perAccount.refillPerHour), ("--lookup-address-refill-per-hour", c.lookup.perAddress.refillPerHour),
        ]
        where value < 0 {
            throw ValidationError("\(flag) must be 0 or more")
        }
        for (flag, value) in limits where value < 1 {
            throw ValidationError("\(flag) must be at least 1")
        }
    }

    /// `--print-config`: one line per setting, `key = value  (source)`, secrets masked.
    var printed: String {
        let width = resolved.map(\.key.count).max() ?? 0
        return resolved.map { "\($0.key.padding(toLength: width, withPad: " ", startingAt: 0)) = \($0.value)  (\($0.source))" }
            .joined(separator: "\n") + "\n"
    }
}
