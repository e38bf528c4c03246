import Foundation

/// One signed-in device of a person.
public struct DeviceSession: Sendable, Hashable, Codable {
    /// What a session's secret opens.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Signed in with a code: its bearer token authenticates FramedRPC calls.
        case device
        /// Made by a signed-in device for an app that speaks CardDAV: its password authenticates
        /// CardDAV requests (HTTP Basic), never RPC calls.
        case appPassword = "app_password"
    }

    /// The session's public id (not its token).
    public var id: String
    /// Whose session it is.
    public var userID: UserID
    /// The name the device gave when it signed in, or the app password was made for.
    public var deviceName: String
    /// When it signed in.
    public var createdAt: Date
    /// When it last made a call (updated at most once a minute).
    public var lastUsedAt: Date
    /// What its secret opens.
    public var kind: Kind

    /// Creates a session value.
    public init(id: String, userID: UserID, deviceName: String, createdAt: Date, lastUsedAt: Date, kind: Kind = .device) {
        self.id = id
        self.userID = userID
        self.deviceName = deviceName
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.kind = kind
    }
}
