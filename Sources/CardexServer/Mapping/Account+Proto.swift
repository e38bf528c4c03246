import CardexCore
import CardexProto

extension Account {
    var proto: Cardex_V1_Account {
        .with {
            $0.userID = userID.rawValue
            $0.phone = phone.e164
            $0.createdAtMs = createdAt.unixMilliseconds
            $0.settings = settings.proto
        }
    }
}

extension AccountSettings {
    var proto: Cardex_V1_AccountSettings {
        .with {
            $0.cloudAddressBook = cloudAddressBook
            $0.autoSendCard = autoSendCard
            $0.discoverableBy = discoverableBy.proto
        }
    }
}

extension Discoverability {
    /// `nil` for UNSPECIFIED, which means "leave unchanged".
    init?(proto: Cardex_V1_Discoverability) throws(CardexError) {
        switch proto {
        case .everyone: self = .everyone
        case .contacts: self = .contacts
        case .nobody: self = .nobody
        case .unspecified: return nil
        case .UNRECOGNIZED(let value): throw .invalidArgument("discoverable_by value \(value) is unknown")
        }
    }

    var proto: Cardex_V1_Discoverability {
        switch self {
        case .everyone: .everyone
        case .contacts: .contacts
        case .nobody: .nobody
        }
    }
}

extension DeviceSession {
    func proto(current: DeviceSession?) -> Cardex_V1_Session {
        .with {
            $0.sessionID = id
            $0.deviceName = deviceName
            $0.createdAtMs = createdAt.unixMilliseconds
            $0.lastUsedAtMs = lastUsedAt.unixMilliseconds
            $0.current = id == current?.id
            $0.kind = kind.proto
        }
    }
}

extension DeviceSession.Kind {
    var proto: Cardex_V1_SessionKind {
        switch self {
        case .device: .device
        case .appPassword: .appPassword
        }
    }
}
