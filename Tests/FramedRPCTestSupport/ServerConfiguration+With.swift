import FramedRPC

extension ServerConfiguration {
    /// The defaults with `change` made to them: `ServerConfiguration.with { $0.keepalive.interval = .seconds(1) }`.
    public static func with(_ change: (inout ServerConfiguration) -> Void) -> ServerConfiguration {
        var configuration = ServerConfiguration.defaults
        change(&configuration)
        return configuration
    }
}
