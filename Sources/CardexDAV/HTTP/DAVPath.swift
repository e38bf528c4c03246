import CardexCore
import Foundation

/// Where a CardDAV request goes, read from its path. Every resource below `/dav/` but the root
/// belongs to one person, named by user id in the path; a request for someone else's is 404.
///
///     /.well-known/carddav                        discovery (RFC 6764): redirects to /dav/
///     /dav/                                       the context path: who am I
///     /dav/principals/<user>/                     the person: where their address books are
///     /dav/books/<user>/                          the home: their address books
///     /dav/books/<user>/<collection>/             one address book
///     /dav/books/<user>/<collection>/<name>.vcf   one card
enum DAVPath: Sendable, Hashable {
    case wellKnown
    case root
    case principal(UserID)
    case home(UserID)
    case collection(UserID, String)
    case card(UserID, collection: String, name: String)

    static let rootPath = "/dav/"
    static let wellKnownPath = "/.well-known/carddav"

    /// The resource at `path` (percent-encoded, as sent); `nil` for a path that names nothing.
    init?(path: String) {
        if path == Self.wellKnownPath || path == Self.wellKnownPath + "/" {
            self = .wellKnown
            return
        }
        guard path.hasPrefix("/dav") else { return nil }
        var segments: [String] = []
        for raw in path.dropFirst("/dav".count).split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = raw.removingPercentEncoding, !segment.isEmpty, segment != ".", segment != ".." else { return nil }
            segments.append(segment)
        }
        switch segments.count {
        case 0: self = .root
        case 2 where segments[0] == "principals": self = .principal(UserID(rawValue: segments[1]))
        case 2 where segments[0] == "books": self = .home(UserID(rawValue: segments[1]))
        case 3 where segments[0] == "books": self = .collection(UserID(rawValue: segments[1]), segments[2])
        case 4 where segments[0] == "books": self = .card(UserID(rawValue: segments[1]), collection: segments[2], name: segments[3])
        default: return nil
        }
    }

    /// The person the resource belongs to; `nil` for discovery and the root.
    var owner: UserID? {
        switch self {
        case .wellKnown, .root: nil
        case .principal(let user), .home(let user), .collection(let user, _), .card(let user, _, _): user
        }
    }

    /// The path of the resource, percent-encoded: what hrefs carry.
    var href: String {
        switch self {
        case .wellKnown: Self.wellKnownPath
        case .root: Self.rootPath
        case .principal(let user): "/dav/principals/\(Self.encode(user.rawValue))/"
        case .home(let user): "/dav/books/\(Self.encode(user.rawValue))/"
        case .collection(let user, let collection): "/dav/books/\(Self.encode(user.rawValue))/\(Self.encode(collection))/"
        case .card(let user, let collection, let name):
            "/dav/books/\(Self.encode(user.rawValue))/\(Self.encode(collection))/\(Self.encode(name))"
        }
    }

    /// `segment` with everything but RFC 3986's unreserved characters percent-encoded.
    static func encode(_ segment: String) -> String {
        // Ids are mostly unreserved already (UUIDs, `book`): returned as they are, without Foundation.
        let isUnreserved = segment.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                true
            default: false
            }
        }
        return isUnreserved ? segment : segment.addingPercentEncoding(withAllowedCharacters: unreserved) ?? segment
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
