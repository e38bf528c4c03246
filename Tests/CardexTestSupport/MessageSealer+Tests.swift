import CardexCore
import Foundation

extension MessageSealer {
    /// A sealer with a fixed key, for tests that build a `UseCaseStore` of their own.
    public static let forTests = MessageSealer(secret: Data(repeating: 0x5A, count: 32))
}
