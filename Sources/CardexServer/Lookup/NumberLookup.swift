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

    /// The answer to each query (see ``LookupStore/lookUp(_:for:purpose:)``), in order, after
    /// paying for the distinct numbers new to the caller's and its address's budgets: the one
    /// gate of every call that maps a number to a person.
    /// - Throws: RESOURCE_EXHAUSTED when a budget cannot pay for the numbers new to it; nothing
    ///   is paid and nothing answered then.
    func find(_ queries: [NumberQuery], purpose: LookupPurpose, context: ServerContext) async throws -> [NumberMatch?] {
        let caller = try context.caller().userID
        let found = try await environment.store.lookUp(queries, for: caller, purpose: purpose)
        var distinct = Set<PhoneNumber>()
        let numbers = queries.map(\.number).filter { distinct.insert($0).inserted }
        try await limiter.charge(
            numbers.map(limiter.digester.digest), to: [.account(caller), .address(context.clientAddress)], now: environment.clock.now())
        return found
    }

    /// The person who holds `number`, as the caller may see them, for `purpose`.
    func find(_ number: PhoneNumber, purpose: LookupPurpose, context: ServerContext) async throws -> CardView? {
        try await find([NumberQuery(number)], purpose: purpose, context: context)[0]?.view
    }
}
