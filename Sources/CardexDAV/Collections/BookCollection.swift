import CardexCore
import CardexUseCases
import CardexVCard
import Foundation

/// `book`: the person's cloud address book, read-write. A card is an entry: its resource name is
/// the entry's client id with `.vcf` (the href a client chooses is the entry's identity, so a
/// GET answers where the PUT wrote). A card PUT here is kept as sent (``BookEntry/vCard``), and
/// its FN, TEL and EMAIL are the entry's fields; an entry written otherwise (the RPC upload) is
/// served as a vCard of its fields, UID the client id.
///
/// Etags are hashes of the vCard served (``Snapshot/etag(of:)``). Sync tokens are positions in
/// the book's change log (``BookLog``), so a sync-collection reads what changed since, whatever
/// the book's size, and any instance on the database answers any token.
struct BookCollection: AddressCollection {
    let owner: UserID
    let books: Books
    let validator: BookValidator
    let clock: any WallClock

    let segment = "book"
    let displayName = "Cardex address book"
    let summary = "Your address book, backed up in Cardex: the same entries `cardex book download` gives."
    let isWritable = true

    /// Entries read per page when listing.
    static let pageSize = 1000
    static let tokenPrefix = "urn:x-cardex:book:"

    func cards() async throws -> [CardResource] {
        try await allEntries().map(Self.resource)
    }

    func cards(named names: [String]) async throws -> [CardResource] {
        let ids = Set(names.compactMap(Self.id(of:)))
        let entries: [BookEntry]
        if ids.count > Self.pageSize / 10 {
            // A multiget of many: a few pages of the whole book cost less than a read per card.
            entries = try await allEntries().filter { ids.contains($0.clientEntryID) }
        } else {
            var found: [BookEntry] = []
            for id in ids {
                if let entry = try await books.entry(id, of: owner) { found.append(entry) }
            }
            entries = found
        }
        return entries.map(Self.resource).sorted { $0.name < $1.name }
    }

    func syncToken() async throws -> String {
        Self.token(BookLogPosition(revision: try await books.revision(of: owner).latest))
    }

    func changes(since token: String?, limit: Int?) async throws -> CollectionChanges {
        guard let token else {
            // The token first, so that a change made meanwhile is sent again next time, not lost.
            let token = try await syncToken()
            return CollectionChanges(changed: try await cards(), removed: [], token: token, truncated: false)
        }
        guard var position = Self.position(token) else { throw InvalidSyncToken(reason: "not a sync token of this address book") }
        // An id is logged once, but a write between two pages may log it again, later: the last wins.
        var changed: [String: CardResource] = [:]
        var removed: Set<String> = []
        var latest: Int64
        var truncated = false
        var more: Bool
        repeat {
            let room = limit.map { max($0 - changed.count - removed.count, 0) }
            // One more than there is room for tells whether the client has to sync again.
            let asked = min(Self.pageSize, room.map { $0 + 1 } ?? Self.pageSize)
            let page: (changes: [BookLogChange], revision: BookRevision)
            do {
                page = try await books.changes(of: owner, after: position, limit: asked)
            } catch CardexError.failedPrecondition(let reason) {
                throw InvalidSyncToken(reason: reason)
            }
            latest = page.revision.latest
            for change in page.changes.prefix(room ?? page.changes.count) {
                let name = change.clientEntryID + ".vcf"
                changed[name] = change.entry.map(Self.resource)
                if change.entry == nil { removed.insert(name) } else { removed.remove(name) }
                position = change.position
            }
            truncated = room.map { page.changes.count > $0 } ?? false
            more = !truncated && page.changes.count == asked
        } while more
        return CollectionChanges(
            changed: changed.values.sorted { $0.name < $1.name }, removed: removed.sorted(),
            // Read to the end, the token is the revision the last read saw.
            token: Self.token(truncated ? position : BookLogPosition(revision: latest)), truncated: truncated)
    }

    /// A position's sync token: the revision, and after a page that stopped midway a revision, a
    /// dot and the last entry id sent, base64url.
    static func token(_ position: BookLogPosition) -> String {
        var text = tokenPrefix + String(position.revision)
        if let id = position.entryID {
            text +=
                "."
                + Data(id.utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return text
    }

    /// The position a sync token of ``token(_:)`` names, or nil.
    static func position(_ token: String) -> BookLogPosition? {
        guard token.hasPrefix(tokenPrefix) else { return nil }
        let parts = token.dropFirst(tokenPrefix.count).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let revision = Int64(parts[0]), revision >= 0 else { return nil }
        guard parts.count == 2 else { return BookLogPosition(revision: revision) }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let id = String(data: data, encoding: .utf8), !id.isEmpty else { return nil }
        return BookLogPosition(revision: revision, entryID: id)
    }

    func put(name: String, vCard: Data, ifMatch: String?, ifNoneMatch: String?) async throws -> (etag: String?, created: Bool) {
        guard let id = Self.id(of: name) else { throw WriteRefusal(status: 400, reason: "a card's name ends in .vcf") }
        // Kept as sent when it is UTF-8 text that XML can carry (address-data), else rendered.
        let text = String(data: vCard, encoding: .utf8)
        if let text, text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\r" && $0 != "\n" }) {
            throw WriteRefusal(status: 400, reason: "the vCard holds control characters")
        }
        let parsed: [VCard]
        do {
            parsed = try VCardParser.parse(vCard)
        } catch {
            throw WriteRefusal(status: 400, reason: "the body is not a vCard: \(error)")
        }
        guard parsed.count == 1, let card = parsed.first else {
            throw WriteRefusal(status: 400, reason: "a PUT holds exactly one vCard; this body holds \(parsed.count)")
        }
        let contact = VCardContact(card)
        let entry: BookEntry
        do {
            entry = try validator.validate(
                BookEntry(clientEntryID: id, name: contact.name, phones: contact.phones, emails: contact.emails, vCard: text))
        } catch {
            throw WriteRefusal(status: 400, reason: error.message)
        }
        let precondition = Self.precondition(ifMatch: ifMatch, ifNoneMatch: ifNoneMatch)
        switch try await books.change(id, of: owner, to: entry, if: precondition, now: clock.now()) {
        case .refused: throw WriteRefusal(status: 412, reason: "the card is not as If-Match/If-None-Match expected: fetch it again")
        case .applied(let before):
            // A strong etag only for what a GET returns octet for octet (RFC 6352 §6.3.2.3).
            return (text == nil ? nil : Self.resource(entry).etag, before == nil)
        }
    }

    func delete(name: String, ifMatch: String?) async throws -> Bool {
        guard let id = Self.id(of: name) else { return false }
        let precondition = Self.precondition(ifMatch: ifMatch, ifNoneMatch: nil)
        switch try await books.change(id, of: owner, to: nil, if: { $0 != nil && precondition($0) }, now: clock.now()) {
        case .refused(let current):
            guard current != nil else { return false }
            throw WriteRefusal(status: 412, reason: "the card is not as If-Match expected: fetch it again")
        case .applied: return true
        }
    }

    private func allEntries() async throws -> [BookEntry] {
        var entries: [BookEntry] = []
        var after: String?
        while true {
            let page = try await books.entries(of: owner, after: after, limit: Self.pageSize)
            entries += page
            guard page.count == Self.pageSize, let last = page.last else { return entries }
            after = last.clientEntryID
        }
    }

    /// `If-Match` (the entry's etag, or `*`: it exists) and `If-None-Match: *` (it does not) as a
    /// check of the entry as it is when the write happens.
    static func precondition(ifMatch: String?, ifNoneMatch: String?) -> @Sendable (BookEntry?) -> Bool {
        let matches = ifMatch.map(entityTags)
        let noneMatches = ifNoneMatch.map(entityTags)
        return { current in
            let etag = current.map { resource($0).etag }
            if let matches {
                guard let etag, matches.contains("*") || matches.contains(etag) else { return false }
            }
            if let noneMatches {
                if noneMatches.contains("*") && current != nil { return false }
                if let etag, noneMatches.contains(etag) { return false }
            }
            return true
        }
    }

    /// The entity tags of an `If-Match` or `If-None-Match` list, weak ones compared by their opaque part.
    static func entityTags(_ header: String) -> [String] {
        header.split(separator: ",").map { tag in
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed
        }
    }

    static func resource(_ entry: BookEntry) -> CardResource {
        // The card the app stored, else one made of the entry's fields.
        let vCard =
            entry.vCard.map { Data($0.utf8) }
            ?? VCardWriter.data([VCard(VCardContact(uid: entry.clientEntryID, name: entry.name, phones: entry.phones, emails: entry.emails))])
        return CardResource(name: entry.clientEntryID + ".vcf", etag: Snapshot.etag(of: vCard), vCard: vCard)
    }

    /// The entry id a card name stands for: the name without `.vcf`.
    static func id(of name: String) -> String? {
        guard name.hasSuffix(".vcf"), name.count > 4 else { return nil }
        return String(name.dropLast(4))
    }
}
