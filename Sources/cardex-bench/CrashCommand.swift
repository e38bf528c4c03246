import ArgumentParser
import Foundation

/// `cardex-bench crash`: SIGKILL to `cardex serve` under write load at random moments, then a
/// restart, `--kills` times; checks that every write answered OK before each crash is there
/// after it and that the database passes `PRAGMA integrity_check` after every crash.
///
/// The writes (``WriteLoad``) touch cards, card history and events; shares, invitations and the
/// notification outbox; streamed address-book uploads; groups and memberships. The moments
/// come from `--seed` (printed, so a failing run can be repeated). One JSON line per kill and a
/// summary; exits non-zero at the first write lost or integrity failure.
struct CrashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash", abstract: "SIGKILL cardex serve under write load; check acknowledged writes and integrity after each restart.")

    @Option(help: "Crashes (20 or more for the full check; 3 in CI).") var kills = 20
    @Option(help: "People the writers write as.") var people = 8
    @Option(help: "Concurrent write loops.") var writers = 32
    @Option(help: "Least seconds of load before a kill.") var minLoad = 0.2
    @Option(help: "Most seconds of load before a kill.") var maxLoad = 1.5
    @Option(help: "Seed of the kill moments (default: random, printed).") var seed: UInt64?
    @OptionGroup var serve: ServeOptions

    func validate() throws {
        guard kills >= 1, people >= 1, writers >= 1 else { throw ValidationError("--kills, --people and --writers must be at least 1") }
        guard minLoad > 0, maxLoad >= minLoad else { throw ValidationError("need 0 < --min-load <= --max-load") }
    }

    func run() async throws {
        let seed = seed ?? UInt64.random(in: 1...UInt64.max)
        let work = serve.workDirectory(named: "crash")
        let server = ServeProcess(binary: serve.cardex, workDirectory: work, flags: WriteLoad.serveFlags)
        do {
            try await crashRepeatedly(server, seed: seed)
            serve.cleanUp(work)
        } catch {
            await server.killIfRunning()
            printLine("crash: FAILED (seed \(seed), data in \(server.dataDirectory)): \(error)\n  server log (\(server.logPath)):\n\(server.logTail())")
            throw ExitCode.failure
        }
    }

    private func crashRepeatedly(_ server: ServeProcess, seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        try await server.start()
        let accounts = try await LoadAccounts.signIn(count: people, server: server)
        let ledger = WriteLedger()
        let load = WriteLoad(ledger: ledger)
        for kill in 1...kills {
            if kill > 1 { try await server.start() }
            let missing = try await LedgerCheck.missing(ledger, accounts: accounts, port: server.port, trustRoots: server.trustRoots)
            guard missing.isEmpty else { throw BenchError("acknowledged writes lost:\n  " + missing.joined(separator: "\n  ")) }

            let clients = try accounts.clients(port: server.port, trustRoots: server.trustRoots)
            let pool = WriterPool(writers: writers, load: load, clients: clients, phones: accounts.people.map(\.phone))
            let loadSeconds = Double.random(in: minLoad...maxLoad, using: &random)
            try await Task.sleep(for: .seconds(loadSeconds))
            let inFlight = pool.inFlight
            server.signal(SIGKILL)
            guard await server.waitForExit(timeout: .seconds(30)) != nil else { throw BenchError("cardex serve outlived SIGKILL") }
            let endings = await pool.errors()
            for client in clients { await client.close() }
            // Every loop runs until its call fails; before the kill nothing may fail.
            let unexpected = endings.filter { statusCode(of: $0) != .unavailable }
            guard unexpected.isEmpty else { throw BenchError("a write failed with \(unexpected[0]) (not UNAVAILABLE)") }

            let integrity = try LedgerCheck.integrity(ofDatabaseAt: server.dataDirectory + "/cardex.sqlite")
            guard integrity == ["ok"] else { throw BenchError("integrity_check after kill \(kill): \(integrity.prefix(5).joined(separator: "; "))") }
            printLine(
                #"{"tool":"crash","kill":\#(kill),"after_seconds":\#(String(format: "%.2f", loadSeconds)),"in_flight":\#(inFlight),"#
                    + #""acknowledged_so_far":"\#(ledger.summary)","integrity":"ok"}"#)
        }
        try await server.start()
        let missing = try await LedgerCheck.missing(ledger, accounts: accounts, port: server.port, trustRoots: server.trustRoots)
        guard missing.isEmpty else { throw BenchError("acknowledged writes lost:\n  " + missing.joined(separator: "\n  ")) }
        server.signal(SIGTERM)
        _ = await server.waitForExit(timeout: .seconds(30))
        printLine(#"{"tool":"crash","kills":\#(kills),"seed":\#(seed),"acknowledged":"\#(ledger.summary)","lost":0,"integrity":"ok"}"#)
    }
}
