import Foundation

/// Reading address books.
public protocol BookReading: AnyObject {
    /// The entry of the owner's book with client id `id`, if any.
    func bookEntry(_ id: String, of owner: UserID) async throws -> BookEntry?
}

/// Writing address books.
public protocol BookWriting: AnyObject {
    /// Stores `entry`, replacing one with the same client id, with its matchable numbers.
    func putBookEntry(_ entry: BookEntry, of owner: UserID, at time: Date) async throws
}
