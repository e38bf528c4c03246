/// How a share reaches its recipient, by the recipient's state (patent CN102752392A,
/// application scenarios 1–5).
public enum Delivery: Sendable, Hashable {
    /// Not registered: the share waits for the number and an invitation is sent.
    case inviteAndWait
    /// Registered with the cloud address book off: the share waits and a notice asks to turn it on.
    case askToEnableAndWait
    /// Registered, cloud address book on, no device online: into the inbox, and a notice is sent.
    case inboxAndNotice
    /// Registered, cloud address book on, a device online: into the inbox and pushed at once.
    case inboxAndPush

    /// The delivery for a recipient: `account` is `nil` when the number is not registered.
    public static func decide(account: Account?, online: Bool) -> Delivery {
        guard let account else { return .inviteAndWait }
        guard account.settings.cloudAddressBook else { return .askToEnableAndWait }
        return online ? .inboxAndPush : .inboxAndNotice
    }

    /// Whether the share enters the inbox now (rather than waiting).
    public var entersInbox: Bool {
        switch self {
        case .inboxAndNotice, .inboxAndPush: true
        case .inviteAndWait, .askToEnableAndWait: false
        }
    }
}
