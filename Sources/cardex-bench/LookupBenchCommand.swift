import ArgumentParser
import CardexCore
import CardexProto
import CardexServer
import Foundation
import FramedRPC
import Synchronization

/// `cardex-bench lookup`: caller-ID lookups against a seeded population (SPEC §3.6).
///
/// Seeds `--users` accounts into its store (SeedOptions, StoreOptions; or, with `--seeded`, uses a
/// directory or database `cardex-bench seed` made) and starts a server on them whose lookup budgets are large enough
/// for the run (every lookup still pays: each number is new to the caller). Then, per run:
/// - load: a client process (`cardex-bench lookup-load`) with one signed-in TLS connection
///   keeps `--concurrency` calls in flight for `--seconds`, each a Lookup of a random seeded
///   account (found: the seeded name is public). Prints lookups/s and client p50/p99 from that
///   process, and the server's p50/p99 (handler time, measured by an interceptor around the
///   call in this one).
/// - one at a time: lookups of a random seeded account (found), of people who exist but are
///   hidden from the caller, of unregistered numbers, and of the account found the turn before
///   (found_again: its number parsed, paid for and card read already), in turn; prints each
///   kind's server p50/p99 (hidden and unknown should match: the answers must not tell them apart).
struct LookupBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "Time caller-ID lookups against a seeded population.")

    @OptionGroup var seed: SeedOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "The data directory or database was seeded by `cardex-bench seed` with the same --users and --book-size.")
    var seeded = false
    @Option(help: "Calls in flight during the load phase.") var concurrency = 64
    @Option(help: "TLS connections the load process spreads its calls over.") var connections = 1
    @Option(help: "Seconds of load per run.") var seconds = 5
    @Option(help: "Seconds of load before the measured runs, not measured (warms the caches, as a running server's are).")
    var warmup = 10
    @Option(help: "Measured runs.") var runs = 3
    @Option(help: "Lookups of each kind in the privacy phase.") var privacyLookups = 1000
    @Flag(
        help: ArgumentHelp(
            "Also run each load through HAProxy (with --database): to this instance alone, and to it and a second instance on the same database.",
            discussion: "The three loads take turns in every run; the summary gives the ratios of the medians."))
    var balanced = false

    func validate() throws {
        try store.validate(seeded: seeded)
        guard !balanced || store.database != nil else { throw ValidationError("--balanced needs --database: the instances share it") }
    }

    func run() async throws {
        let (seed, seeded) = (seed, seeded)
        let timing = LookupTiming()
        let hiddenCount = 100
        let ample = { (configuration: inout CardexServerConfiguration) in
            let ample = BudgetRule(burst: 1_000_000_000, refillPerHour: 0)
            configuration.lookup.perAccount = ample
            configuration.lookup.perAddress = ample
        }
        let server = try await BenchServer.start(store: store, interceptors: [timing], configure: ample) { configuration in
            guard seeded else { return try await seed.seed(into: configuration) }
        }
        // With --balanced: the targets of each run's loads, the direct one first.
        var targets = [("direct", server.running.port)]
        var second: BenchServer?
        var balancer: Balancer?
        if balanced {
            let other = try await BenchServer.start(store: store, alongside: server, interceptors: [timing], configure: ample)
            let started = try Balancer.start([("one", [server.running.port]), ("two", [server.running.port, other.running.port])])
            (second, balancer) = (other, started)
            targets += [("balancer_one", started.ports["one"]!), ("balancer_two", started.ports["two"]!)]
        }
        let clients = server.clients
        // A fresh caller per invocation, so every number is new to its budget.
        let caller = try await clients.signIn("+1557" + String(UInt32.random(in: 1_000_000...9_999_999)))
        // Registered people whose cards show the caller nothing.
        let hidden = (0..<hiddenCount).map { "+15570000" + String(format: "%03d", $0) }
        for (index, phone) in hidden.enumerated() {
            let person = try await clients.signIn(phone)
            _ = try await person.cards.setCard(.with { $0.card.fields = BenchClients.card(name: "Hidden \(index)") })
        }

        var rates: [String: [Double]] = [:]
        var (serverP50, serverP99): ([Double], [Double]) = ([], [])
        guard let token = caller.credentials.token else { throw BenchError("the caller has no session") }
        if warmup > 0 {
            for (_, port) in targets {
                _ = try await LookupLoad.run(
                    port: port, trustRoots: clients.trustRoots, token: token, users: seed.users,
                    concurrency: concurrency, connections: connections, seconds: warmup)
            }
        }
        for run in 1...runs {
            for (target, port) in targets {
                timing.reset()
                // The load comes from another process, as a real client would.
                let load = try await LookupLoad.run(
                    port: port, trustRoots: clients.trustRoots, token: token, users: seed.users,
                    concurrency: concurrency, connections: connections, seconds: seconds)
                let times = timing.take()
                rates[target, default: []].append(load.perSecond)
                if target == "direct" {
                    serverP50.append(percentile(0.5, of: times))
                    serverP99.append(percentile(0.99, of: times))
                }
                let named = balanced ? #""target":"\#(target)","# : ""
                printLine(
                    #"{"bench":"lookup","run":\#(run),\#(named)"users":\#(seed.users),"concurrency":\#(concurrency),"connections":\#(connections),"lookups":\#(load.lookups),"#
                        + #""per_s":\#(Int(load.perSecond)),"client_p50_us":\#(load.p50),"client_p99_us":\#(load.p99),"#
                        + #""server_p50_us":\#(Int(percentile(0.5, of: times))),"server_p99_us":\#(Int(percentile(0.99, of: times)))}"#)
            }
        }
        if balanced {
            let median = { (target: String) in percentile(0.5, of: rates[target] ?? []) }
            printLine(
                #"{"bench":"lookup_balanced","users":\#(seed.users),"runs":\#(runs),"direct_per_s":\#(Int(median("direct"))),"#
                    + #""balancer_one_per_s":\#(Int(median("balancer_one"))),"balancer_two_per_s":\#(Int(median("balancer_two"))),"#
                    + #""two_over_direct":\#(String(format: "%.2f", median("balancer_two") / median("direct"))),"#
                    + #""two_over_balancer_one":\#(String(format: "%.2f", median("balancer_two") / median("balancer_one")))}"#)
        }
        balancer?.stop()
        await second?.stop()

        // One call at a time, the kinds in turn so that each sees the same conditions: found (a
        // random seeded account), hidden (registered, nothing public), unknown, and found again.
        var times: [String: [Double]] = [:]
        var lastFound: String?
        for index in 0..<privacyLookups {
            let found = SeedOptions.accounts.phone(Int.random(in: 0..<seed.users))
            var kinds = [
                ("found", found),
                ("hidden", hidden[index % hiddenCount]),
                ("unknown", "+15571" + String(format: "%06d", index)),
            ]
            // The number found the turn before: parsed, paid for and its card read already, so
            // only the reads of the store remain.
            if let lastFound { kinds.append(("found_again", lastFound)) }
            lastFound = found
            for (kind, phone) in kinds {
                timing.reset()
                do {
                    _ = try await caller.lookup.lookup(.with { $0.phone = phone })
                    guard kind.hasPrefix("found") else { throw BenchError("\(phone) was found") }
                } catch let error as RPCError where error.code == .notFound && !kind.hasPrefix("found") {}
                times[kind, default: []].append(timing.take().first ?? 0)
            }
        }
        let sequential = ["found", "found_again", "hidden", "unknown"].map { kind in
            #""\#(kind)_p50_us":\#(Int(percentile(0.5, of: times[kind] ?? []))),"\#(kind)_p99_us":\#(Int(percentile(0.99, of: times[kind] ?? [])))"#
        }
        printLine(#"{"bench":"lookup_one_at_a_time","users":\#(seed.users),"lookups":\#(privacyLookups),\#(sequential.joined(separator: ","))}"#)
        printLine(
            #"{"bench":"lookup","users":\#(seed.users),"runs":\#(runs),"median_per_s":\#(Int(percentile(0.5, of: rates["direct"] ?? []))),"#
                + #""median_server_p50_us":\#(Int(percentile(0.5, of: serverP50))),"median_server_p99_us":\#(Int(percentile(0.5, of: serverP99)))}"#)
        await server.stop()
    }
}

/// Times the handler of every Lookup call (from the interceptor to the answer or error).
final class LookupTiming: ServerInterceptor {
    private let times = Mutex<[Double]>([])

    func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        guard context.descriptor.path == "/cardex.v1.LookupService/Lookup" else { return try await next(context) }
        let start = ContinuousClock.now
        defer {
            let elapsed = (ContinuousClock.now - start) / .microseconds(1)
            times.withLock { $0.append(elapsed) }
        }
        try await next(context)
    }

    func reset() { times.withLock { $0.removeAll(keepingCapacity: true) } }

    /// The times since the last reset, emptying the list.
    func take() -> [Double] {
        times.withLock { list in
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
    }
}
