/// The rules for verification codes and their resending, and for app passwords.
public struct RegistrationPolicy: Sendable, Hashable {
    /// How long a code is valid.
    public var codeLifetime: Duration
    /// Wrong tries after which a code is void.
    public var maxAttempts: Int
    /// The window over which code requests are counted.
    public var resendWindow: Duration
    /// Code requests allowed per phone number within the window.
    public var maxRequestsPerNumber: Int
    /// Code requests allowed per client address within the window.
    public var maxRequestsPerAddress: Int
    /// App passwords a person may hold at once.
    public var maxAppPasswords: Int

    /// Creates a policy.
    public init(codeLifetime: Duration, maxAttempts: Int, resendWindow: Duration, maxRequestsPerNumber: Int, maxRequestsPerAddress: Int, maxAppPasswords: Int) {
        self.codeLifetime = codeLifetime
        self.maxAttempts = maxAttempts
        self.resendWindow = resendWindow
        self.maxRequestsPerNumber = maxRequestsPerNumber
        self.maxRequestsPerAddress = maxRequestsPerAddress
        self.maxAppPasswords = maxAppPasswords
    }

    /// Codes valid 10 minutes, void after 5 wrong tries; at most 5 requests per number and 20 per
    /// client address per hour; 20 app passwords per person.
    public static var defaults: RegistrationPolicy {
        RegistrationPolicy(
            codeLifetime: .seconds(600), maxAttempts: 5, resendWindow: .seconds(3600), maxRequestsPerNumber: 5, maxRequestsPerAddress: 20, maxAppPasswords: 20)
    }
}
