/// The server cannot start as configured; the message says what to change.
public struct CardexServerError: Error, CustomStringConvertible {
    /// What is wrong and what to do.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
