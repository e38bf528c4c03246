import CardexCore
import CardexUseCases
import Foundation

/// What CardDAV serves from: the use cases, and who is asking.
public struct CardDAVBackend: Sendable {
    let useCases: UseCases
    /// Checks the entries a PUT writes to the book, as the RPC upload does.
    let books: BookValidator
    let clock: any WallClock
    /// What the groups' sync tokens stood for.
    let snapshots: SnapshotMemory

    /// - Parameter rememberedCards: how many cards the sync tokens handed out for groups may
    ///   stand for in all, remembered so that a sync from one gets what changed.
    public init(useCases: UseCases, books: BookValidator, clock: any WallClock, rememberedCards: Int = 200_000) {
        self.useCases = useCases
        self.books = books
        self.clock = clock
        self.snapshots = SnapshotMemory(maxCards: rememberedCards)
    }

    /// The person an app password signs in, or `nil`: a password that is not one, of no live
    /// app-password session (a device's session token is not accepted), or a user name that is
    /// neither the account's number in E.164 nor its user id.
    func authenticate(_ credentials: BasicCredentials) async throws -> UserID? {
        guard let password = AppPassword(typed: credentials.password),
            let session = try await useCases.accounts.session(tokenHash: password.hash, now: clock.now()),
            session.kind == .appPassword,
            let account = try await useCases.accounts.account(session.userID)
        else { return nil }
        let username = credentials.username.filter { !$0.isWhitespace }
        guard username == account.phone.e164 || username == account.userID.rawValue else { return nil }
        return account.userID
    }

    /// The person's address books, in the order apps list them: the cards they hold, their
    /// own book, then one per group, oldest membership first.
    func collections(of user: UserID) async throws -> [any AddressCollection] {
        let groups = try await useCases.groups.groups(of: user).map {
            GroupCollection(reader: user, membership: $0, groups: useCases.groups, memory: snapshots) as any AddressCollection
        }
        return fixedCollections(of: user) + groups
    }

    /// The person's address book named `segment`.
    func collection(_ segment: String, of user: UserID) async throws -> (any AddressCollection)? {
        if let fixed = fixedCollections(of: user).first(where: { $0.segment == segment }) { return fixed }
        guard segment.hasPrefix(GroupCollection.segmentPrefix) else { return nil }
        let groupID = String(segment.dropFirst(GroupCollection.segmentPrefix.count))
        return try await useCases.groups.groups(of: user).first { $0.group.id == groupID }.map {
            GroupCollection(reader: user, membership: $0, groups: useCases.groups, memory: snapshots)
        }
    }

    private func fixedCollections(of user: UserID) -> [any AddressCollection] {
        [
            ContactsCollection(reader: user, sync: useCases.sync),
            BookCollection(owner: user, books: useCases.books, validator: books, clock: clock),
        ]
    }

    /// The person's number, for the principal's display name.
    func displayName(of user: UserID) async throws -> String {
        try await useCases.accounts.account(user)?.phone.e164 ?? user.rawValue
    }
}
