import CardexCore
import CardexUseCases
import CardexVCard
import Foundation

/// `contacts`: the cards the person holds (shares accepted, mutual contacts, the members they see
/// in their groups), each as they may see it now; read-only. Names are `<owner user id>.vcf`;
/// etags are the views' (they change when what the reader sees changes); sync tokens are
/// Cardex's delta-sync tokens (over the person's event log), so a sync-collection costs what the
/// changes cost, not what the book holds.
struct ContactsCollection: AddressCollection {
    let reader: UserID
    let sync: CardSync

    let segment = "contacts"
    let displayName = "Cardex contacts"
    let summary = "The cards shared with you, your mutual contacts and the members you see in your groups, as their owners let you see them."
    let isWritable = false

    /// Owners read per sync page.
    static let pageSize = 1000
    /// What a sync token starts with: RFC 6578 asks for a URI.
    static let tokenPrefix = "urn:x-cardex:sync:"

    func cards() async throws -> [CardResource] {
        var resources: [CardResource] = []
        var token: SyncToken?
        repeat {
            let page = try await sync.page(for: reader, since: token, limit: Self.pageSize)
            resources += page.changed.map(Self.resource)
            token = page.more ? page.next : nil
        } while token != nil
        return resources
    }

    func cards(named names: [String]) async throws -> [CardResource] {
        let owners = names.compactMap(Self.owner(named:))
        guard !owners.isEmpty else { return [] }
        return try await sync.heldViews(of: owners, for: reader).map(Self.resource)
    }

    func syncToken() async throws -> String {
        // A full sync's first page is where the delta after it starts; only its token is used.
        let page = try await sync.page(for: reader, since: nil, limit: 1)
        return Self.tokenPrefix + SyncToken(user: reader, seq: page.next.seq).text
    }

    func changes(since text: String?, limit: Int?) async throws -> CollectionChanges {
        guard let text else {
            // The token first, so that a change made meanwhile is sent again next time, not lost.
            let token = try await syncToken()
            return CollectionChanges(changed: try await cards(), removed: [], token: token, truncated: false)
        }
        guard text.hasPrefix(Self.tokenPrefix), let token = SyncToken(text: String(text.dropFirst(Self.tokenPrefix.count))),
            token.fullSyncAfter == nil, token.user == reader
        else { throw InvalidSyncToken(reason: "not a sync token of this address book") }
        var changed: [String: CardResource] = [:]
        var removed: Set<String> = []
        var position = token
        var truncated = false
        while true {
            let page: SyncPage
            do {
                // With a limit, no page brings more than what is left of it.
                let left = limit.map { max($0 - changed.count - removed.count, 1) } ?? Self.pageSize
                page = try await sync.page(for: reader, since: position, limit: min(Self.pageSize, left))
            } catch CardexError.failedPrecondition(let reason) {
                throw InvalidSyncToken(reason: reason)
            }
            for view in page.changed {
                let resource = Self.resource(view)
                changed[resource.name] = resource
                removed.remove(resource.name)
            }
            for owner in page.removed {
                let name = Self.name(of: owner)
                changed[name] = nil
                removed.insert(name)
            }
            position = page.next
            if let limit, changed.count + removed.count >= limit, page.more {
                truncated = true
                break
            }
            if !page.more { break }
        }
        return CollectionChanges(
            changed: changed.values.sorted { $0.name < $1.name }, removed: removed.sorted(), token: Self.tokenPrefix + position.text,
            truncated: truncated)
    }

    static func resource(_ view: CardView) -> CardResource {
        CardResource(name: name(of: view.owner), etag: "\"\(view.etag)\"", vCard: VCardWriter.data([view.vCard]))
    }

    static func name(of owner: UserID) -> String { owner.rawValue + ".vcf" }

    static func owner(named name: String) -> UserID? {
        guard name.hasSuffix(".vcf") else { return nil }
        let id = String(name.dropLast(".vcf".count))
        return UUID(uuidString: id) == nil ? nil : UserID(rawValue: id)
    }
}
