import ArgumentParser
import CardexClient
import Foundation

/// `cardex-bench soak`: a steady mixed load (``SoakMix``) on a `cardex serve` process for
/// `--minutes`, at `--rate` calls per second (0: half the capacity measured first). Every
/// `--report-seconds` it prints calls, errors, latency and the server's RSS; at the end, the
/// RSS growth from `--warmup-minutes` on. Errors must be zero (exit status 1 otherwise).
/// Ten people keep an event stream open throughout.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak", abstract: "Mixed load on cardex serve for a long time: errors (must be 0) and server RSS over time.")

    @Option(help: "Length of the run in minutes.") var minutes = 30.0
    @Option(help: "Calls per second (0: half the capacity measured for --capacity-seconds first).") var rate = 0.0
    @Option(help: "Seconds of the capacity measurement.") var capacitySeconds = 10
    @Option(help: "People making calls, one connection each.") var people = 50
    @Option(help: "RSS growth is measured from this minute to the end.") var warmupMinutes = 5.0
    @Option(help: "Seconds between report lines.") var reportSeconds = 30
    @OptionGroup var serve: ServeOptions

    func validate() throws {
        guard minutes > 0, rate >= 0, people >= 2, reportSeconds >= 1, warmupMinutes >= 0 else {
            throw ValidationError("need --minutes > 0, --rate >= 0, --people >= 2, --report-seconds >= 1")
        }
    }

    func run() async throws {
        let work = serve.workDirectory(named: "soak")
        let server = ServeProcess(binary: serve.cardex, workDirectory: work, flags: WriteLoad.serveFlags + SoakMix.serveFlags)
        do {
            try await server.start()
            let errors = try await soak(server)
            server.signal(SIGTERM)
            _ = await server.waitForExit(timeout: .seconds(30))
            guard errors == 0 else { throw BenchError("\(errors) calls failed") }
            serve.cleanUp(work)
        } catch {
            await server.killIfRunning()
            printLine("soak: FAILED: \(error)\n  server log (\(server.logPath)):\n\(server.logTail())")
            throw ExitCode.failure
        }
    }

    private func soak(_ server: ServeProcess) async throws -> Int {
        let accounts = try await LoadAccounts.signIn(count: people, server: server)
        let clients = try accounts.clients(port: server.port, trustRoots: server.trustRoots)
        let mix = SoakMix(clients: clients, phones: accounts.people.map(\.phone))
        try await mix.prepare()
        let watchers = Watchers()
        for client in clients.prefix(10) {
            watchers.watch(try CardexClient(host: "127.0.0.1", port: server.port, trustRootsPath: server.trustRoots, token: client.credentials.token))
        }
        try await watchers.waitUntilReady(min(10, clients.count), timeout: .seconds(30))

        var rate = rate
        if rate == 0 { rate = try await Self.capacity(of: mix, seconds: capacitySeconds) / 2 }
        guard let pid = server.pid else { throw BenchError("cardex serve is not running") }
        printLine(#"{"tool":"soak","rate_per_second":\#(Int(rate)),"minutes":\#(minutes),"people":\#(people),"rss_kib":\#(server.residentKiB() ?? 0)}"#)
        let stats = SoakStats()
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .seconds(minutes * 60)
        let reportSeconds = reportSeconds
        let reporter = Task {
            var samples: [(minute: Double, rss: Int)] = []
            var next = start + .seconds(reportSeconds)
            while next <= end {
                try? await clock.sleep(until: next)
                let window = stats.takeWindow()
                let minute = (clock.now - start) / .seconds(60)
                let rss = ServeProcess.residentKiB(of: pid) ?? 0
                samples.append((minute, rss))
                printLine(
                    #"{"minute":\#(String(format: "%.1f", minute)),"calls":\#(window.calls),"errors":\#(window.errors),"#
                        + #""p50_ms":\#(String(format: "%.1f", window.p50)),"p99_ms":\#(String(format: "%.1f", window.p99)),"rss_kib":\#(rss)}"#)
                next = next + .seconds(reportSeconds)
            }
            return samples
        }
        await Self.openLoop(mix: mix, rate: rate, until: end, stats: stats)
        let series = await reporter.value
        await watchers.close()
        for client in clients { await client.close() }

        let after = series.first { $0.minute >= warmupMinutes } ?? series.first
        let last = series.last
        let growth = (last?.rss ?? 0) - (after?.rss ?? 0)
        printLine(
            #"{"tool":"soak","calls":\#(stats.totalCalls),"errors":\#(stats.totalErrors),"rss_kib_at_warmup":\#(after?.rss ?? 0),"#
                + #""warmup_minute":\#(String(format: "%.1f", after?.minute ?? 0)),"rss_kib_at_end":\#(last?.rss ?? 0),"rss_growth_kib":\#(growth)}"#)
        if let error = stats.firstError { printLine("first error: \(error)") }
        return stats.totalErrors
    }

    /// Calls started at `rate` per second, whether earlier ones have finished or not, until `end`.
    private static func openLoop(mix: SoakMix, rate: Double, until end: ContinuousClock.Instant, stats: SoakStats) async {
        let clock = ContinuousClock()
        let tick = Duration.milliseconds(10)
        await withDiscardingTaskGroup { group in
            var due = 0.0
            var next = clock.now
            while next < end {
                due += rate * 0.01
                while due >= 1 {
                    due -= 1
                    group.addTask {
                        let begin = clock.now
                        do {
                            try await mix.call()
                            stats.record((clock.now - begin) / .milliseconds(1), error: nil)
                        } catch {
                            stats.record((clock.now - begin) / .milliseconds(1), error: error)
                        }
                    }
                }
                next = next + tick
                try? await clock.sleep(until: next)
            }
        }
    }

    /// Calls per second 64 closed loops reach over `seconds`.
    private static func capacity(of mix: SoakMix, seconds: Int) async throws -> Double {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        let calls = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    var calls = 0
                    while clock.now < end {
                        try await mix.call()
                        calls += 1
                    }
                    return calls
                }
            }
            return try await group.reduce(0, +)
        }
        let measured = Double(calls) / Double(seconds)
        printLine(#"{"tool":"soak","capacity_per_second":\#(Int(measured))}"#)
        return measured
    }
}
