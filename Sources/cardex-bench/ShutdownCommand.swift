import ArgumentParser
import CardexClient
import CardexProto
import Foundation
import FramedRPC

/// `cardex-bench shutdown`: SIGTERM to `cardex serve` under load, checking what README and
/// docs/ARCHITECTURE.md promise of a graceful shutdown.
///
/// Starts `cardex serve` (a process, development certificate) with `--shutdown-grace`, signs in
/// `--people` people, then holds an idle connection, a connection that stops reading (it never
/// answers TLS close_notify), an address-book upload that never half-closes, and `--calls`
/// write loops (``WriterPool``). After `--load-seconds` it sends SIGTERM and checks: the process
/// exits with status 0 within the grace period plus `--margin`; every call ends OK or
/// UNAVAILABLE (the endless upload UNAVAILABLE); after a restart every write answered OK is
/// there; the database passes `PRAGMA integrity_check`. Prints one JSON line; exits non-zero on
/// any failure.
struct ShutdownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shutdown", abstract: "SIGTERM to cardex serve with calls in flight: bounded exit, nothing acknowledged lost.")

    @Option(help: "Write loops in flight when SIGTERM arrives.") var calls = 100
    @Option(help: "People the loops write as.") var people = 20
    @Option(help: "The server's --shutdown-grace, in seconds.") var grace = 2
    @Option(help: "Seconds the process may take past the grace period (its 1 s TLS close timeout and exit).") var margin = 1.5
    @Option(help: "Seconds of load before SIGTERM.") var loadSeconds = 1.0
    @OptionGroup var serve: ServeOptions

    func run() async throws {
        let work = serve.workDirectory(named: "shutdown")
        let server = ServeProcess(binary: serve.cardex, workDirectory: work, flags: WriteLoad.serveFlags + ["--shutdown-grace", String(grace)])
        do {
            try await server.start()
            try await check(server)
            serve.cleanUp(work)
        } catch {
            await server.killIfRunning()
            printLine("shutdown: FAILED: \(error)\n  server log (\(server.logPath)):\n\(server.logTail())")
            throw ExitCode.failure
        }
    }

    private func check(_ server: ServeProcess) async throws {
        let accounts = try await LoadAccounts.signIn(count: people, server: server)
        let ledger = WriteLedger()
        let clients = try accounts.clients(port: server.port, trustRoots: server.trustRoots)
        for client in clients { _ = try await client.account.getAccount(.init()) }
        // clients[0] stays idle from here: the writers use the others.
        let deaf = try await DeafConnection.open(port: server.port, trustRoots: server.trustRoots)
        let endless = try endlessUpload(as: accounts.people[0].token, server: server)
        let pool = WriterPool(
            writers: calls, load: WriteLoad(ledger: ledger), clients: Array(clients.dropFirst()), phones: accounts.people.dropFirst().map(\.phone))

        try await Task.sleep(for: .seconds(loadSeconds))
        let inFlight = pool.inFlight
        let start = ContinuousClock.now
        server.signal(SIGTERM)
        let status = await server.waitForExit(timeout: .seconds(grace) + .seconds(30))
        let exitSeconds = (ContinuousClock.now - start) / .seconds(1)
        let endings = await pool.errors()
        let upload = await endless.value
        await deaf.close()
        for client in clients { await client.close() }

        var failures: [String] = []
        if status != 0 { failures.append("exit status \(status.map { "\($0)" } ?? "none: still running")") }
        if exitSeconds > Double(grace) + margin { failures.append("exit took \(exitSeconds) s, more than the \(grace) s grace + \(margin) s") }
        if statusCode(of: upload) != .unavailable { failures.append("the endless upload ended with \(upload), not UNAVAILABLE") }
        let unexpected = endings.filter { statusCode(of: $0) != .unavailable }
        if !unexpected.isEmpty { failures.append("\(unexpected.count) calls ended neither OK nor UNAVAILABLE, such as \(unexpected[0])") }

        try await server.start()
        failures += try await LedgerCheck.missing(ledger, accounts: accounts, port: server.port, trustRoots: server.trustRoots)
        server.signal(SIGTERM)
        if await server.waitForExit(timeout: .seconds(grace) + .seconds(30)) != 0 { failures.append("the restarted server did not stop cleanly") }
        let integrity = try LedgerCheck.integrity(ofDatabaseAt: server.dataDirectory + "/cardex.sqlite")
        if integrity != ["ok"] { failures.append("integrity_check: \(integrity.prefix(5).joined(separator: "; "))") }

        printLine(
            #"{"tool":"shutdown","in_flight_at_sigterm":\#(inFlight),"acknowledged":\#(pool.acknowledged),"#
                + #""exit_seconds":\#(String(format: "%.2f", exitSeconds)),"grace_seconds":\#(grace),"#
                + #""acknowledged_writes":"\#(ledger.summary)","failures":\#(failures.count)}"#)
        guard failures.isEmpty else { throw BenchError(failures.joined(separator: "\n  ")) }
    }

    /// An upload that writes a message every 100 ms and never half-closes: only the server's
    /// grace period can end it (UNAVAILABLE). The task's value is the error it ended with.
    private func endlessUpload(as token: String, server: ServeProcess) throws -> Task<any Error, Never> {
        let client = try CardexClient(host: "127.0.0.1", port: server.port, trustRootsPath: server.trustRoots, token: token)
        return Task {
            defer { Task { await client.close() } }
            do {
                _ = try await client.book.uploadBook { writer in
                    var n = 0
                    while true {
                        n += 1
                        try await writer.write(
                            .with {
                                $0.entries = [
                                    .with {
                                        $0.clientEntryID = "endless-\(n)"
                                        $0.name = "Endless \(n)"
                                    }
                                ]
                            })
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                return BenchError("the endless upload finished OK")
            } catch {
                return error
            }
        }
    }
}
