import Foundation

/// Shares, the inbox, and the consent that turns a share into a grant.
///
/// Every method is one transaction. Methods that change what someone may see append the events
/// that tell them, in the same transaction.
public protocol ShareStore: Sendable {}
