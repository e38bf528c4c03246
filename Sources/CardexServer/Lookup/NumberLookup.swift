import CardexCore
import FramedRPC
import Foundation

/// Finding people by phone number, for every call that does (Lookup, Discover, GetCard by
/// phone): the store's answer, paid for from the caller's budgets before it is returned.
struct NumberLookup: Sendable {
    let environment: ServiceEnvironment
    let limiter: LookupLimiter

    /// The answer for a number nobody the caller may find has: the same bytes for an unknown
    /// number and for a hidden person.
    static let notFound = CardexError.notFound("no one you may see has this number")

    /// The owners of `numbers` (distinct) the caller may find for `purpose`, as the caller may see them.
    /// - Throws: RESOURCE_EXHAUSTED when the caller's or its address's budget cannot pay for the
    ///   numbers new to it; nothing is paid then.
    func find(_ numbers: [PhoneNumber], purpose: LookupPurpose, context: ServerContext) async throws -> [PhoneNumber: CardView] {
        let caller = try context.caller().userID
        let found = try await environment.store.lookUp(numbers, for: caller, purpose: purpose)
        try await limiter.charge(
            numbers.map(limiter.digester.digest), to: [.account(caller), .address(context.clientAddress)], now: environment.clock.now())
        return found
    }
}
