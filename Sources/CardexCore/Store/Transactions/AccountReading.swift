/// Reading accounts.
public protocol AccountReading: AnyObject {
    /// The account, if it exists.
    func account(_ user: UserID) async throws -> Account?

    /// The account bound to `phone`, if any.
    func account(phone: PhoneNumber) async throws -> Account?
}
