import Foundation

/// A code to issue: its stored hash and the message that carries it to the person.
public struct CodeIssue: Sendable {
    /// Where the code goes.
    public var phone: PhoneNumber
    /// What it is for.
    public var purpose: CodePurpose
    /// ``CodeHasher``'s hash of the code.
    public var codeHash: Data
    /// For ``CodePurpose/changeNumber``: the account asking to move. The code works only for it.
    public var requester: UserID?
    /// The client's network address, for the per-address resend limit.
    public var clientAddress: String
    /// The text of the outbox message (it holds the code).
    public var messageBody: String

    /// Creates an issue.
    public init(phone: PhoneNumber, purpose: CodePurpose, codeHash: Data, requester: UserID?, clientAddress: String, messageBody: String) {
        self.phone = phone
        self.purpose = purpose
        self.codeHash = codeHash
        self.requester = requester
        self.clientAddress = clientAddress
        self.messageBody = messageBody
    }
}
