import Foundation

/// A registered person: the stable id, the current number and the settings.
public struct Account: Sendable, Hashable, Codable {
    /// The stable identity.
    public var userID: UserID
    /// The number the account is bound to now.
    public var phone: PhoneNumber
    /// When the account was created.
    public var createdAt: Date
    /// The person's choices.
    public var settings: AccountSettings

    /// Creates an account value.
    public init(userID: UserID, phone: PhoneNumber, createdAt: Date, settings: AccountSettings) {
        self.userID = userID
        self.phone = phone
        self.createdAt = createdAt
        self.settings = settings
    }
}

/// Who may find a person by phone number.
public enum Discoverability: String, Sendable, Hashable, Codable {
    case everyone
    case contacts
    case nobody
}

/// A person's account settings.
public struct AccountSettings: Sendable, Hashable, Codable {
    /// Keep the address book in the cloud and receive shares into it.
    public var cloudAddressBook: Bool
    /// Send my card to the people I add.
    public var autoSendCard: Bool
    /// Who may find me by my number.
    public var discoverableBy: Discoverability

    /// Creates settings; the defaults are those of a new account: cloud address book on (it is
    /// what people register for), auto-send off and findable by contacts only (nothing is shared
    /// until the person chooses to).
    public init(cloudAddressBook: Bool = true, autoSendCard: Bool = false, discoverableBy: Discoverability = .contacts) {
        self.cloudAddressBook = cloudAddressBook
        self.autoSendCard = autoSendCard
        self.discoverableBy = discoverableBy
    }
}

/// A change to some settings; `nil` leaves a setting as it is.
public struct SettingsChange: Sendable, Hashable {
    public var cloudAddressBook: Bool?
    public var autoSendCard: Bool?
    public var discoverableBy: Discoverability?

    /// Creates a change.
    public init(cloudAddressBook: Bool? = nil, autoSendCard: Bool? = nil, discoverableBy: Discoverability? = nil) {
        self.cloudAddressBook = cloudAddressBook
        self.autoSendCard = autoSendCard
        self.discoverableBy = discoverableBy
    }

    /// `settings` with this change applied.
    public func applied(to settings: AccountSettings) -> AccountSettings {
        var result = settings
        if let cloudAddressBook { result.cloudAddressBook = cloudAddressBook }
        if let autoSendCard { result.autoSendCard = autoSendCard }
        if let discoverableBy { result.discoverableBy = discoverableBy }
        return result
    }
}
