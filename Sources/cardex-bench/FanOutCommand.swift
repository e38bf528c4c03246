import ArgumentParser
import CardexClient
import CardexCore
import CardexProto
import CardexServer
import Foundation
import FramedRPC

/// `cardex-bench fanout`: one person's card update reaching every subscribed device allowed to
/// see it (patent CN103067478A steps 605–608).
///
/// Starts a Cardex server in this process on a fresh data directory, signs in the owner and
/// `--devices` other people through RegistrationService, shares the owner's card with all of them
/// (ShareCard), has each accept (AcceptShare) and open its event stream (Subscribe, one TLS
/// connection per device). Each run then times one SetCard from the call until every device has
/// received the `card_updated` event of the new version. Prints one JSON line per run and a summary.
///
/// With `--instances N` (and `--database`), N servers run on the one PostgreSQL database as
/// instances of one service: device `i` keeps its stream open on instance `i mod N`, and the owner
/// updates the card through the first, so the events of the others cross instances (NOTIFY, then
/// each instance reads its devices' events from the log).
struct FanOutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout", abstract: "Time for one card update to reach N subscribed devices.")

    @Option(help: "Subscribed devices, one person and one TLS connection each.") var devices = 1000
    @Option(help: "Measured card updates.") var runs = 7
    @Option(help: "Servers on the one database (--database), the devices' streams spread over them.") var instances = 1
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard instances >= 1 else { throw ValidationError("--instances must be at least 1") }
        guard instances == 1 || store.database != nil else { throw ValidationError("--instances above 1 needs --database") }
    }

    func run() async throws {
        let devices = devices
        let configure = { (configuration: inout CardexServerConfiguration) in
            configuration.sharing.maxUnansweredShares = devices + 1
            // Every device connects from 127.0.0.1: the per-address limits (issue 15) are raised with the total.
            configuration.rpc.admission = ServerConfiguration.Admission(
                maxConnections: devices + 16, maxConnectionsPerAddress: devices + 16, maxPendingHandshakesPerAddress: devices + 16)
        }
        let server = try await BenchServer.start(store: store, configure: configure)
        var others: [BenchServer] = []
        for _ in 1..<instances { others.append(try await BenchServer.start(store: store, alongside: server, configure: configure)) }
        let session = server.clients
        let seedStart = ContinuousClock.now
        let owner = try await session.signIn("+15559000000")
        var readers = try await session.seedReaders(count: devices, sharingWith: owner)
        // Device i's stream on instance i mod N: a client of its own there, with the same session.
        for (index, reader) in readers.enumerated() where index % instances != 0 {
            readers[index] = try others[index % instances - 1].clients.connect(token: reader.credentials.token)
        }
        let watchers = try await session.subscribe(readers)
        printLine("seeded \(devices) devices in \(ContinuousClock.now - seedStart), streams on \(instances) instance(s)")

        var timings: [Double] = []
        for run in 1...runs {
            let version = UInt64(run + 1)
            let arrived = watchers.expect(version: version)
            let start = ContinuousClock.now
            _ = try await owner.cards.setCard(.with { $0.card.fields = BenchClients.card(name: "Owner \(run)") })
            let saved = (ContinuousClock.now - start) / .milliseconds(1)
            try await arrived.wait(timeout: .seconds(30))
            let ms = (ContinuousClock.now - start) / .milliseconds(1)
            timings.append(ms)
            printLine(
                #"{"bench":"fanout","run":\#(run),"devices":\#(devices),"set_card_ms":\#(String(format: "%.1f", saved)),"#
                    + #""all_received_ms":\#(String(format: "%.1f", ms))}"#)
        }
        printLine(#"{"bench":"fanout","devices":\#(devices),"instances":\#(instances),"runs":\#(runs),\#(summary(of: timings))}"#)
        await watchers.close()
        for other in others { await other.stop() }
        await server.stop()
    }
}

/// Writes a line to stdout at once (unbuffered even into a pipe), so progress shows while the
/// benchmark runs.
func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
