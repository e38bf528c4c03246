/// The server cannot start as configured (the message says what to change), or a part of a
/// running server failed or ended before shutdown (the message names it and says why).
public struct CardexServerError: Error, CustomStringConvertible {
    /// What is wrong and what to do.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
