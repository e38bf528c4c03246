import CardexCore
import Foundation
import FramedRPC

/// Finding people by phone number, for every call that does (Lookup, Discover, GetCard by
/// phone): the `Lookups` use case's answer, paid for from the caller's budgets before it is
/// returned.
struct NumberLookup: Sendable {
    let environment: ServiceEnvironment
    let limiter: LookupLimiter

    /// The answer for a number nobody the caller may find has: the same bytes for an unknown
    /// number and for a hidden person.
    static let notFound = CardexError.notFound("no one you may see has this number")

    /// The answer to each query (see `Lookups.lookUp(_:for:purpose:)`), in order, after
    /// paying for the distinct numbers new to the caller's and its address's budgets: the one
    /// gate of every call that maps a number to a person. A query asked twice is looked up and
    /// paid for once.
    /// - Throws: RESOURCE_EXHAUSTED when a budget cannot pay for the numbers new to it; nothing
    ///   is paid and nothing answered then.
    func find(_ queries: [NumberQuery], purpose: LookupPurpose, context: ServerContext) async throws -> [NumberMatch?] {
        let caller = try context.caller().userID
        var distinct: [NumberQuery] = []
        var position: [NumberQuery: Int] = [:]
        for query in queries where position[query] == nil {
            position[query] = distinct.count
            distinct.append(query)
        }
        let found = try await environment.useCases.lookups.lookUp(distinct, for: caller, purpose: purpose)
        var paid = Set<PhoneNumber>()
        let numbers = distinct.map(\.number).filter { paid.insert($0).inserted }
        do {
            try await limiter.charge(
                numbers.map(limiter.digester.digest), to: [.account(caller), .address(context.clientAddress)], now: environment.clock.now())
        } catch let error as CardexError {
            if case .resourceExhausted = error { environment.metrics.lookupsRefused.increment(by: numbers.count) }
            throw error
        }
        environment.metrics.lookupsAnswered.increment(by: numbers.count)
        return queries.map { position[$0].flatMap { found[$0] } }
    }

    /// The person who holds `number`, as the caller may see them, for `purpose`.
    func find(_ number: PhoneNumber, purpose: LookupPurpose, context: ServerContext) async throws -> CardView? {
        try await find([NumberQuery(number)], purpose: purpose, context: context)[0]?.view
    }
}
