import ArgumentParser
import Foundation

/// Where the process tools find `cardex` and keep their files.
struct ServeOptions: ParsableArguments {
    @Option(help: "The cardex binary (default: the one next to cardex-bench).") var cardex: String?
    @Option(help: "Directory for the server's data and logs (default: a new temporary one, removed on success).") var workDir: String?

    /// The work directory: `--work-dir`, or a new temporary one.
    func workDirectory(named name: String) -> String {
        workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("cardex-\(name)-\(UUID().uuidString)").path
    }

    /// Removes a temporary work directory; one given with `--work-dir` stays.
    func cleanUp(_ directory: String) {
        if workDir == nil { try? FileManager.default.removeItem(atPath: directory) }
    }
}
