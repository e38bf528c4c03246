import Foundation

/// People's cloud address books.
public protocol AddressBookStore: Sendable {}
