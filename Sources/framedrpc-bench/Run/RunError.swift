/// Why `run` stopped.
enum RunError: Error, CustomStringConvertible {
    case serverDidNotStart(subcommand: String, reason: String)
    case clientFailed(subcommand: String, status: Int32)

    var description: String {
        switch self {
        case .serverDidNotStart(let subcommand, let reason):
            "\(subcommand) did not start: \(reason); its stderr is above"
        case .clientFailed(let subcommand, let status):
            "\(subcommand) exited with status \(status); its stderr is above"
        }
    }
}
