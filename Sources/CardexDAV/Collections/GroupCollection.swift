import CardexCore
import CardexUseCases
import CardexVCard
import Foundation

/// `group-<id>`: the members of one of the person's groups that the person sees there, each
/// with the card fields whose audience includes the group and the number the directory shows;
/// read-only. Names are `<member user id>.vcf`. Memberships keep no change log per group, so
/// etags and sync tokens are a ``Snapshot``'s, diffed against the instance's ``SnapshotMemory``.
struct GroupCollection: AddressCollection {
    let reader: UserID
    let membership: GroupMembership
    let groups: Groups
    let memory: SnapshotMemory

    static let segmentPrefix = "group-"

    var segment: String { Self.segmentPrefix + membership.group.id }
    var displayName: String { membership.group.name }
    var summary: String { "The members of the group \(membership.group.name) you see, with what they show the group." }
    let isWritable = false

    func cards() async throws -> [CardResource] {
        let (_, entries) = try await groups.directory(of: membership.group.id, for: reader, includeSelf: false)
        return entries.map(Self.resource)
    }

    func cards(named names: [String]) async throws -> [CardResource] {
        let wanted = Set(names)
        return try await cards().filter { wanted.contains($0.name) }
    }

    func syncToken() async throws -> String {
        memory.token(of: try await cards(), prefix: tokenPrefix)
    }

    func changes(since token: String?, limit: Int?) async throws -> CollectionChanges {
        try memory.changes(since: token, to: try await cards(), prefix: tokenPrefix, limit: limit)
    }

    private var tokenPrefix: String { "urn:x-cardex:group:\(membership.group.id):" }

    /// The member's card as the group sees it, with the number the directory shows as a TEL
    /// when no visible phone field holds it.
    static func resource(_ entry: DirectoryEntry) -> CardResource {
        var card = entry.card.vCard
        let phone = entry.member.phone.e164
        if !entry.card.fields.contains(where: { $0.kind == .phone && $0.value == phone }) {
            card.properties.insert(VCardProperty(name: "TEL", parameters: ["VALUE": ["uri"]], escapedValue: "tel:\(phone)"), at: 3)
        }
        if !entry.card.fields.contains(where: { $0.kind == .name || $0.kind == .phone || $0.kind == .email }) {
            // Nothing visible names the member: the number does.
            card.properties = card.properties.map { property in
                switch property.name {
                case "FN": VCardProperty(name: "FN", text: phone)
                case "N": VCardProperty(name: "N", components: ["", phone, "", "", ""])
                default: property
                }
            }
        }
        let vCard = VCardWriter.data([card])
        return CardResource(name: entry.member.user.rawValue + ".vcf", etag: Snapshot.etag(of: vCard), vCard: vCard)
    }
}
