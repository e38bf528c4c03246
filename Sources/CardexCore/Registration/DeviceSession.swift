import Foundation

/// One signed-in device of a person.
public struct DeviceSession: Sendable, Hashable, Codable {
    /// The session's public id (not its token).
    public var id: String
    /// Whose session it is.
    public var userID: UserID
    /// The name the device gave when it signed in.
    public var deviceName: String
    /// When it signed in.
    public var createdAt: Date
    /// When it last made a call (updated at most once a minute).
    public var lastUsedAt: Date

    /// Creates a session value.
    public init(id: String, userID: UserID, deviceName: String, createdAt: Date, lastUsedAt: Date) {
        self.id = id
        self.userID = userID
        self.deviceName = deviceName
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
