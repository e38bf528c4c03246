import CardexCore
import CardexDAV
import CardexNotify
import CardexUseCases
import FramedRPC
import FramedRPCHealth
import FramedRPCReflection
import Foundation
import CoreMetrics
import Logging
import Prometheus
import Tracing
import ServiceLifecycle

/// The Cardex server: the store, the services, the notification worker and the RPC server,
/// run as one swift-service-lifecycle service.
///
/// ``run()`` serves until graceful shutdown (SIGTERM/SIGINT under a `ServiceGroup`), then stops
/// taking calls, lets in-flight ones finish for at most the configured grace period, and stops
/// the worker; undelivered notifications stay queued for the next start.
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

    /// Serves until graceful shutdown, then drains.
    public func run() async throws {
        let running = try await start()
        try await withGracefulShutdownHandler {
            try await running.waitUntilClosed()
        } onGracefulShutdown: {
            logger.info("shutting down: no new calls; in-flight calls may finish", metadata: ["grace": "\(configuration.shutdownGracePeriod)"])
            Task { await running.shutdown() }
        }
        await running.shutdown()
        logger.info("stopped")
    }

    /// Opens the store, starts the worker and listens; returns once calls are accepted.
    /// - Throws: when the default region or a test number prefix is unknown; the data
    ///   directory, certificate or port cannot be used; or the database cannot be opened or
    ///   reached (a PostgreSQL server's refusal says why).
    public func start() async throws -> RunningCardexServer {
        let configuration = configuration
        let phoneNumbers = try PhoneNumberParser(
            defaultRegion: configuration.defaultRegion, testNumberPrefixes: configuration.testNumberPrefixes)
        try DataDirectory.secure(configuration.dataDirectory, logger: logger)
        var streams = EventHub.Configuration.defaults
        streams.maxStreamsPerUser = configuration.maxEventStreamsPerUser
        let hub = EventHub(configuration: streams)
        let tls = try ServerTLS.make(configuration, logger: logger)
        let secret = try CodeHashingKey.loadOrCreate(at: configuration.secretPath)
        let notifier = try notifier ?? makeNotifier()
        let opened = try await ServerStore.open(configuration, secret: secret, logger: logger)
        do {
            return try await start(on: opened, tls: tls, secret: secret, notifier: notifier, phoneNumbers: phoneNumbers, hub: hub)
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Starts the worker and the RPC server on an open store.
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
        let logger = logger
        let clock = clock
        var tasks = [
            BackgroundTask("notification worker") { _ = try? await worker.run() },
            BackgroundTask("lookup budgets") { await limiter.run(clock: clock, logger: logger) },
        ]
        // With other instances on the database: their signals, the events they store, presence.
        if let shared = opened.shared, let recorder {
            let fetcher = StoredEventsFetcher(hub: hub, events: environment.useCases.events, logger: logger)
            tasks += [
                BackgroundTask("instance signals") {
                    await InstanceListener(signals: shared.signals, revocations: revocations, hub: hub, fetcher: fetcher).run()
                },
                BackgroundTask("other instances' events") { await fetcher.run() },
                BackgroundTask("presence") { await recorder.run() },
            ]
        }
        do {
            try await rpc.start(host: configuration.host, port: configuration.port, tls: tls.configuration)
        } catch {
            for background in tasks { background.task.cancel() }
            throw error
        }
        var endpoint: MetricsEndpoint?
        if let registry, let address = configuration.metrics {
            do {
                endpoint = try await MetricsEndpoint.start(host: address.host, port: address.port, registry: registry) {
                    // Read at each scrape; a store that does not answer leaves the last value.
                    if let pending = try? await store.pendingCount() { metrics.outboxPending.record(pending) }
                }
            } catch {
                await rpc.shutdown(gracePeriod: .zero)
                for background in tasks { background.task.cancel() }
                throw CardexServerError("cannot serve metrics on \(address.host):\(address.port): \(error)")
            }
        }
        var cardDAV: CardDAVServer?
        if let address = configuration.cardDAV {
            do {
                cardDAV = try await CardDAVServer.start(
                    host: address.host, port: address.port, tls: tls.configuration.tlsConfiguration(closeTimeout: configuration.rpc.tlsCloseTimeout),
                    backend: CardDAVBackend(useCases: environment.useCases, books: environment.books, clock: clock), settings: configuration.cardDAVSettings, logger: logger)
            } catch {
                await rpc.shutdown(gracePeriod: .zero)
                await endpoint?.close()
                for background in tasks { background.task.cancel() }
                throw CardexServerError("cannot serve CardDAV on \(address.host):\(address.port): \(error)")
            }
        }
        // Serving from now on; with a database server, as long as it answers.
        for name in [""] + rpc.serviceNames { health.set(.serving, for: name) }
        if let shared = opened.shared {
            tasks.append(BackgroundTask("database health") { [interval = configuration.healthProbeInterval] in
                await StoreHealthMonitor(probe: shared.probe, statuses: health, interval: interval, logger: logger).run()
            })
        }
        let port = rpc.port ?? configuration.port
        var listening: Logger.Metadata = [
            "address": "\(configuration.host):\(port)", "data": "\(configuration.dataDirectory)", "database": "\(ServerStore.describe(configuration))",
        ]
        if let endpoint, let address = configuration.metrics { listening["metrics"] = "http://\(address.host):\(endpoint.port)\(MetricsEndpoint.path)" }
        if let cardDAV, let address = configuration.cardDAV { listening["carddav"] = "https://\(address.host):\(cardDAV.port)/" }
        logger.info("listening", metadata: listening)
        return RunningCardexServer(
            rpc: rpc, hub: hub, health: health, tasks: tasks, store: opened, metrics: endpoint, cardDAV: cardDAV, port: port,
            trustRootPath: tls.trustRootPath,
            gracePeriod: configuration.shutdownGracePeriod, logger: logger)
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
            return WebhookNotifier(url: url, configuration: .init(headers: headers))
        }
    }
}

extension CardexServer: CustomStringConvertible {
    /// What swift-service-lifecycle logs for the service (at debug level): its name and address,
    /// not the whole configuration.
    public var description: String { "CardexServer(\(configuration.host):\(configuration.port))" }
}

/// A started ``CardexServer``.
public final class RunningCardexServer: Sendable {
    /// The port it listens on (the real one when the configuration said 0).
    public let port: Int
    /// With a development certificate: the authority file clients must trust.
    public let trustRootPath: String?

    let rpc: RPCServer
    let hub: EventHub
    /// What `framedrpc.health.v1.Health` answers: not serving from the first step of shutdown.
    let health: HealthStatuses
    /// The notification worker, the lookup-budget saver, the listener for other instances'
    /// signals and, on a shared database, the presence recorder.
    let tasks: [BackgroundTask]
    /// Closed last, once the tasks that write to it have ended.
    let store: ServerStore
    /// The metrics endpoint, when metrics are on; closed once the RPC server has stopped.
    let metrics: MetricsEndpoint?
    /// The CardDAV endpoint, when it is on; stopped with the RPC server.
    let cardDAV: CardDAVServer?
    let gracePeriod: Duration
    let logger: Logger

    /// How long stopping waits for each background task (a final save included) to end.
    static let taskStopLimit: Duration = .seconds(5)

    init(
        rpc: RPCServer, hub: EventHub, health: HealthStatuses, tasks: [BackgroundTask], store: ServerStore, metrics: MetricsEndpoint?,
        cardDAV: CardDAVServer?, port: Int, trustRootPath: String?, gracePeriod: Duration, logger: Logger
    ) {
        self.metrics = metrics
        self.cardDAV = cardDAV
        self.logger = logger
        self.rpc = rpc
        self.hub = hub
        self.health = health
        self.tasks = tasks
        self.store = store
        self.port = port
        self.trustRootPath = trustRootPath
        self.gracePeriod = gracePeriod
    }

    /// The port of the metrics endpoint, when metrics are on (the real one when 0 was asked for).
    public var metricsPort: Int? { metrics?.port }
    /// The port of the CardDAV endpoint, when it is on (the real one when 0 was asked for).
    public var cardDAVPort: Int? { cardDAV?.port }

    /// Returns when the server has closed.
    public func waitUntilClosed() async throws {
        try await rpc.waitUntilClosed()
    }

    /// Says NOT_SERVING to health checks (and ends their Watch streams), refuses new calls, ends
    /// event streams (`UNAVAILABLE`: devices resubscribe elsewhere or later), lets other
    /// in-flight calls finish within the grace period, stops the background tasks one by one
    /// (the worker, the lookup budgets' final save, …; each within ``taskStopLimit``, a task
    /// that does not end then is logged and left), then closes the database's connections.
    /// Calling it again waits for the same shutdown.
    public func shutdown() async {
        health.stop()
        hub.close()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.rpc.shutdown(gracePeriod: self.gracePeriod) }
            group.addTask { await self.cardDAV?.close() }
        }
        await metrics?.close()
        for background in tasks where await !background.stop(within: Self.taskStopLimit) {
            logger.error("a background task did not stop in time; stopping without it", metadata: ["task": "\(background.name)", "waited": "\(Self.taskStopLimit)"])
        }
        await store.close()
    }
}
