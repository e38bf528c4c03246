import Foundation

/// The `Depth` header of a PROPFIND or REPORT: the resource alone, or it and its members.
enum Depth: Sendable, Hashable {
    case zero, one

    /// `0` or `1`; `infinity` and a missing header read as `1`: address books hold no
    /// collections, so one level is everything below.
    init(header: String?) throws(DAVError) {
        switch header?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "0": self = .zero
        case "1", "infinity", nil: self = .one
        case let other?: throw .badRequest("Depth must be 0, 1 or infinity, not \(other)")
        }
    }
}
