import CardexCore
import CardexDAV
import CardexNotify
import CardexUseCases
import CoreMetrics
import Foundation
import FramedRPC
import FramedRPCHealth
import FramedRPCReflection
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle
import Tracing

/// The Cardex server: the store, the services, the notification worker and the RPC server,
/// run as one swift-service-lifecycle service.
///
/// This is where the server is put together: ``start()`` makes every part, listens, and runs
/// the parts (the ports, the notification worker, the lookup-budget saver, …) as one
/// `ServiceGroup` (``RunningCardexServer`` gives their order and what stopping each does). ``run()`` serves
/// until graceful shutdown (SIGTERM/SIGINT under the process's `ServiceGroup`), then stops
/// taking calls, lets in-flight ones finish for at most the configured grace period, and stops
/// the other parts; undelivered notifications stay queued for the next start.
public struct CardexServer: Service {
    /// The settings it runs with.
    public let configuration: CardexServerConfiguration
    let logger: Logger
    let clock: any WallClock
    let notifier: (any Notifier)?
    let interceptors: [any ServerInterceptor]
    let tracer: (any Tracer)?

    /// Creates the server; nothing starts before ``run()`` or ``start()``.
    /// - Parameters:
    ///   - clock: the time for code expiry, limits and card timestamps.
    ///   - notifier: delivers notifications instead of the configured channel (for tests and embedding).
    ///   - interceptors: run around every call before Cardex's own (for measurement and embedding).
    ///   - tracer: when given, every call makes a server span (joining the trace its metadata
    ///     carries) and every store transaction a child span of it.
    public init(
        configuration: CardexServerConfiguration,
        logger: Logger = Logger(label: "cardex"),
        clock: any WallClock = SystemClock(),
        notifier: (any Notifier)? = nil,
        interceptors: [any ServerInterceptor] = [],
        tracer: (any Tracer)? = nil
    ) {
        self.interceptors = interceptors
        self.tracer = tracer
        self.configuration = configuration
        // Every line logged while serving a call carries the call's request id.
        var logger = logger
        logger.handler.metadataProvider = .multiplex([logger.metadataProvider, RequestID.metadataProvider].compactMap { $0 })
        self.logger = logger
        self.clock = clock
        self.notifier = notifier
    }

    /// Serves until graceful shutdown, then drains and stops the parts in order (see
    /// ``RunningCardexServer``).
    /// - Throws: what ``start()`` throws, and the error of a part that failed while serving.
    public func run() async throws {
        let running = try await start()
        do {
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    try await running.waitUntilClosed()
                } onGracefulShutdown: {
                    logger.info("shutting down: no new calls; in-flight calls may finish", metadata: ["grace": "\(configuration.shutdownGracePeriod)"])
                    Task { await running.shutdown() }
                }
            } onCancel: {
                running.cancel()
            }
        } catch {
            logger.error("stopped: a part of the server failed", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info("stopped")
    }

    /// Opens the store, listens, and starts the parts that run beside the calls (the
    /// notification worker, the lookup-budget saver, …); returns once calls are accepted.
    /// - Throws: when the default region or a test number prefix is unknown; the data
    ///   directory, certificate or port cannot be used; or the database cannot be opened or
    ///   reached (a PostgreSQL server's refusal says why).
    public func start() async throws -> RunningCardexServer {
        let configuration = configuration
        // Files written and synced, keys made: on NIO's blocking pool, not on the caller's
        // thread, one of Swift's few cooperative threads that must not wait for the disk.
        let (phoneNumbers, tls, secret, chosenNotifier) = try await NIOThreadPool.singleton.runIfActive { [self] in
            let phoneNumbers = try PhoneNumberParser(
                defaultRegion: configuration.defaultRegion, testNumberPrefixes: configuration.testNumberPrefixes)
            try DataDirectory.secure(configuration.dataDirectory, logger: logger)
            let tls = try ServerTLS.make(configuration, logger: logger)
            let secret = try CodeHashingKey.loadOrCreate(at: configuration.secretPath)
            return (phoneNumbers, tls, secret, try notifier ?? makeNotifier())
        }
        let hub = EventHub(configuration: EventHub.Configuration(maxStreamsPerUser: configuration.maxEventStreamsPerUser))
        let opened = try await ServerStore.open(configuration, secret: secret, logger: logger)
        do {
            return try await start(on: opened, tls: tls, secret: secret, notifier: chosenNotifier, phoneNumbers: phoneNumbers, hub: hub)
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Listens and starts the parts on an open store.
    private func start(
        on opened: ServerStore, tls: ServerTLS, secret: Data, notifier: any Notifier, phoneNumbers: PhoneNumberParser, hub: EventHub
    ) async throws -> RunningCardexServer {
        let store = opened.backend
        let sealer = MessageSealer(secret: secret)
        let registry = configuration.metrics.map { _ in PrometheusCollectorRegistry() }
        let factory = registry.map(Self.metricsFactory)
        let metrics = factory.map(CardexMetrics.init) ?? .disabled
        let worker = NotificationWorker(
            store: store,
            notifier: notifier,
            sealer: sealer,
            clock: clock,
            configuration: configuration.notificationWorker,
            logger: logger,
            metrics: factory.map { .init(adapter: "\(type(of: notifier))", factory: $0) } ?? .disabled)
        let useCaseStore = UseCaseStore(
            backend: store, events: configuration.events, eventSink: CountedEventSink(hub: hub, appended: metrics.eventsAppended),
            sealer: sealer, tracing: tracer.map { UseCaseStore.StoreTracing(tracer: $0, system: ServerStore.system(configuration)) },
            outboxChanged: { worker.wake() })
        let environment = ServiceEnvironment(
            useCases: UseCases(
                store: useCaseStore, cardHistoryLimit: configuration.cardHistoryLimit, sharing: configuration.sharing,
                bookLimits: configuration.bookLimits, groups: configuration.groups, registration: configuration.registration,
                presence: hub),
            clock: clock,
            phoneNumbers: phoneNumbers,
            registration: configuration.registration,
            cards: CardValidator(limits: configuration.cardLimits, phoneNumbers: phoneNumbers),
            cardHistoryLimit: configuration.cardHistoryLimit,
            codeHasher: CodeHasher(key: secret),
            books: BookValidator(limits: configuration.bookLimits, phoneNumbers: phoneNumbers),
            groups: configuration.groups,
            sharing: configuration.sharing,
            presence: hub,
            outboxChanged: { worker.wake() },
            metrics: metrics)
        let limiter = LookupLimiter(
            policy: configuration.lookup, digester: NumberDigester(secret: secret), store: store, shared: opened.shared?.lookupBudgets)
        try await limiter.restore(now: clock.now())
        let numbers = NumberLookup(environment: environment, limiter: limiter)
        let recorder = opened.shared.map { [logger] in PresenceRecorder(store: $0.presence, hub: hub, expiry: configuration.instanceExpiry, logger: logger) }
        let sessions = SessionCache()
        let revocations = Revocations(sessions: sessions, hub: hub, signals: opened.shared?.signals, logger: logger)
        let health = HealthStatuses()

        var services: [any RPCService] = [
            RegistrationService(environment: environment),
            AccountService(environment: environment, revocations: revocations, lookups: limiter),
            CardService(environment: environment, numbers: numbers),
            ShareService(environment: environment),
            EventService(environment: environment, hub: hub, presence: recorder),
            AddressBookService(environment: environment),
            GroupService(environment: environment),
            SyncService(environment: environment, numbers: numbers),
            LookupService(numbers: numbers),
            HealthService(statuses: health),
        ]
        if configuration.reflection {
            services.append(try ReflectionService(describing: services))
        }
        let rpc = RPCServer(
            services: services,
            interceptors: interceptors + [
                RequestLogInterceptor(logger: logger),
                SessionInterceptor(accounts: environment.useCases.accounts, clock: clock, cache: sessions),
                CardexErrorInterceptor(logger: logger),
            ],
            configuration: configuration.rpc,
            metricsFactory: factory,
            tracing: tracer.map { ServerTracing(tracer: $0, rootSampleRatio: configuration.traceSampleRatio) },
            logger: logger)
        try await rpc.start(host: configuration.host, port: configuration.port, tls: tls.configuration)
        var endpoint: MetricsEndpoint?
        if let registry, let address = configuration.metrics {
            do {
                endpoint = try await MetricsEndpoint.start(host: address.host, port: address.port, registry: registry) {
                    // Read at each scrape; a store that does not answer leaves the last value.
                    if let pending = try? await store.pendingCount() { metrics.outboxPending.record(pending) }
                }
            } catch {
                await rpc.shutdown(gracePeriod: .zero)
                throw CardexServerError("cannot serve metrics on \(address.host):\(address.port): \(error)")
            }
        }
        var cardDAV: CardDAVServer?
        if let address = configuration.cardDAV {
            do {
                cardDAV = try await CardDAVServer.start(
                    host: address.host, port: address.port, tls: tls.configuration.tlsConfiguration(closeTimeout: configuration.rpc.connection.tlsCloseTimeout),
                    backend: CardDAVBackend(useCases: environment.useCases, books: environment.books, clock: clock), settings: configuration.cardDAVSettings,
                    logger: logger)
            } catch {
                await rpc.shutdown(gracePeriod: .zero)
                await endpoint?.close()
                throw CardexServerError("cannot serve CardDAV on \(address.host):\(address.port): \(error)")
            }
        }
        // Serving from now on; with a database server, as long as it answers.
        for name in [""] + rpc.serviceNames { health.set(.serving, for: name) }
        let port = rpc.port ?? configuration.port
        var listening: Logger.Metadata = [
            "address": "\(configuration.host):\(port)", "data": "\(configuration.dataDirectory)", "database": "\(ServerStore.describe(configuration))",
        ]
        if let endpoint, let address = configuration.metrics { listening["metrics"] = "http://\(address.host):\(endpoint.port)\(MetricsEndpoint.path)" }
        if let cardDAV, let address = configuration.cardDAV { listening["carddav"] = "https://\(address.host):\(cardDAV.port)/" }
        logger.info("listening", metadata: listening)

        // The parts in start order; the group stops them in the reverse (see RunningCardexServer).
        let (logger, clock, stopLimit) = (logger, clock, RunningCardexServer.taskStopLimit)
        func loop(_ name: String, _ operation: @escaping @Sendable () async throws -> Void) -> any Service {
            BackgroundService(name, stopLimit: stopLimit, logger: logger, operation)
        }
        var parts: [any Service] = [ClosingService("database connections") { await opened.close() }]
        // With other instances on the database: its health, presence, the events they store, their signals.
        if let shared = opened.shared, let recorder {
            let fetcher = StoredEventsFetcher(hub: hub, events: environment.useCases.events, logger: logger)
            parts += [
                loop("database health") { [interval = configuration.healthProbeInterval] in
                    await StoreHealthMonitor(probe: shared.probe, statuses: health, interval: interval, logger: logger).run()
                },
                loop("presence") { await recorder.run() },
                loop("other instances' events") { await fetcher.run() },
                loop("instance signals") {
                    await InstanceListener(signals: shared.signals, revocations: revocations, hub: hub, fetcher: fetcher).run()
                },
            ]
        }
        parts += [
            loop("lookup budgets") { await limiter.run(clock: clock, logger: logger) },
            loop("notification worker") { try await worker.run() },
        ]
        if let endpoint { parts.append(ClosingService("metrics endpoint") { await endpoint.close() }) }
        parts.append(CallEndpoints(rpc: rpc, cardDAV: cardDAV, health: health, hub: hub, gracePeriod: configuration.shutdownGracePeriod))
        return RunningCardexServer(
            parts: parts, rpc: rpc, port: port, trustRootPath: tls.trustRootPath, metricsPort: endpoint?.port, cardDAVPort: cardDAV?.port, logger: logger)
    }

    /// Exports through `registry`, with call-duration buckets from 100 µs (a call here takes
    /// about that) to 10 s, where the library's default starts at 5 ms.
    private static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> any MetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        return factory
    }

    private func makeNotifier() throws -> any Notifier {
        switch configuration.notifications {
        case .fileLog(let path):
            return FileLogNotifier(fileURL: URL(fileURLWithPath: path ?? configuration.defaultNotificationLogPath))
        case .webhook(let text, let headers):
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw CardexServerError("webhook URL \"\(text)\" is not an http(s) URL such as https://sms.example.com/send")
            }
            return WebhookNotifier(url: url, configuration: .with { $0.headers = headers })
        }
    }
}

extension CardexServer: CustomStringConvertible {
    /// What swift-service-lifecycle logs for the service (at debug level): its name and address,
    /// not the whole configuration.
    public var description: String { "CardexServer(\(configuration.host):\(configuration.port))" }
}
