import ArgumentParser

/// `cardex-bench`: measurements of the Cardex service through its real RPCs over TLS.
@main
struct CardexBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cardex-bench",
        abstract: "Benchmarks of the Cardex service, driven through the generated clients over TLS.",
        subcommands: [
            FanOutCommand.self, DirectoryCommand.self, SyncBenchCommand.self, LookupBenchCommand.self, LookupLoadCommand.self, SeedCommand.self,
            ShutdownCommand.self, CrashCommand.self, SoakCommand.self,
        ])
}
