import Foundation

/// The user name and password of an `Authorization: Basic` header (RFC 7617), UTF-8.
struct BasicCredentials: Sendable, Hashable {
    var username: String
    var password: String

    /// The header's credentials; `nil` when it is not Basic or not decodable.
    init?(header: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic", parts[1].utf8.count <= 1024,
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        username = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}
