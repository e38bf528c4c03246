/// What a verification code may be used for.
public enum CodePurpose: String, Sendable, Hashable, Codable {
    /// Sign in on a device, creating the account when the number is new. Registration and login
    /// are the same flow, so the answer to a code request never reveals whether a number has an account.
    case signIn = "sign_in"
    /// Move the caller's account to the number the code was sent to.
    case changeNumber = "change_number"
}
