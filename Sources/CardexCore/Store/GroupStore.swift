import Foundation

/// Groups, their members and invitations.
///
/// Every method is one transaction and appends the events that tell members what changed.
/// Methods naming a group throw ``CardexError/notFound(_:)`` unless the caller is a member, so
/// non-members cannot learn that a group exists.
public protocol GroupStore: Sendable {}
