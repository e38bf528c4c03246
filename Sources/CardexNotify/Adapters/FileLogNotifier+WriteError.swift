extension FileLogNotifier {
    /// The notification log could not be written. The message stays queued and is retried.
    public struct WriteError: Error, CustomStringConvertible {
        /// The file or directory that failed.
        public var path: String
        /// What was being done: "open", "append to" or "create directory".
        public var operation: String
        /// The system's reason, such as "Permission denied (errno 13)".
        public var reason: String

        /// Creates the error.
        public init(path: String, operation: String, reason: String) {
            self.path = path
            self.operation = operation
            self.reason = reason
        }

        /// Says what failed and what to do.
        public var description: String {
            "cannot \(operation) notification log \(path): \(reason); "
                + "fix the permissions or choose another notification log path"
        }
    }
}
