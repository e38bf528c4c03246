import ArgumentParser
import CardexProto

/// A card field on the command line: `KIND[:LABEL]=VALUE[|AUDIENCE]`.
struct CardFieldArgument: ExpressibleByArgument {
    let field: Cardex_V1_CardField

    static let kinds: [(String, Cardex_V1_FieldKind)] = [
        ("name", .name), ("phone", .phone), ("email", .email), ("im", .im), ("organisation", .organisation),
        ("title", .title), ("address", .address), ("birthday", .birthday), ("note", .note), ("photo-url", .photoURL), ("url", .url),
    ]
    static var kindNames: [String] { kinds.map(\.0) }

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let head = argument[..<equals]
        var value = String(argument[argument.index(after: equals)...])
        var audience = Cardex_V1_Audience.with { $0.level = .onlyMe }
        if let bar = value.lastIndex(of: "|") {
            guard let parsed = Self.audience(String(value[value.index(after: bar)...])) else { return nil }
            audience = parsed
            value = String(value[..<bar])
        }
        let parts = head.split(separator: ":", maxSplits: 1)
        guard let kindName = parts.first, let kind = Self.kinds.first(where: { $0.0 == kindName.lowercased() })?.1 else { return nil }
        field = .with {
            $0.kind = kind
            $0.label = parts.count > 1 ? String(parts[1]) : ""
            $0.value = value
            $0.audience = audience
        }
    }

    static func audience(_ text: String) -> Cardex_V1_Audience? {
        let parts = text.split(separator: ":", maxSplits: 1)
        let ids = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : []
        switch parts.first.map(String.init) {
        case "everyone": return .with { $0.level = .everyone }
        case "contacts": return .with { $0.level = .contacts }
        case "only-me": return .with { $0.level = .onlyMe }
        case "groups":
            return .with {
                $0.level = .groups
                $0.groupIds = ids
            }
        case "people":
            return .with {
                $0.level = .people
                $0.userIds = ids
            }
        default: return nil
        }
    }

    static func describe(_ audience: Cardex_V1_Audience) -> String {
        switch audience.level {
        case .everyone: "everyone"
        case .contacts: "contacts"
        case .groups: "groups:" + audience.groupIds.joined(separator: ",")
        case .people: "people:" + audience.userIds.joined(separator: ",")
        case .onlyMe, .unspecified, .UNRECOGNIZED: "only-me"
        }
    }

    static func name(of kind: Cardex_V1_FieldKind) -> String {
        kinds.first { $0.1 == kind }?.0 ?? "field"
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
