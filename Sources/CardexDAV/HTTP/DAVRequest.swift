import Foundation

/// What a PROPFIND or REPORT body asks for, read from its ``XMLNode`` tree.
enum DAVRequest: Sendable, Hashable {
    case propfind(PropertyRequest)
    /// `addressbook-multiget` (RFC 6352 §8.7): the properties of the cards at these hrefs.
    case multiget(PropertyRequest, hrefs: [String])
    /// `sync-collection` (RFC 6578 §3.2): what changed since `token` (`nil`: everything), at most
    /// `limit` changes when the client gives one.
    case syncCollection(PropertyRequest, token: String?, limit: Int?)
    /// `addressbook-query` (RFC 6352 §8.6) without a filter: every card.
    case query(PropertyRequest)

    /// Properties a request names.
    enum PropertyRequest: Sendable, Hashable {
        /// `allprop`, or an empty body: every live property we have (not `address-data`).
        case all
        /// `propname`: the names of the properties, without values.
        case names
        case some([XMLName])
    }

    /// Why a body cannot be served: 400, or 403 with a precondition element.
    enum Refusal: Error, Sendable, Hashable {
        case badRequest(String)
        case unsupportedReport(XMLName)
        case unsupportedFilter
    }

    /// The PROPFIND body `root`, or `nil` for an empty body (the same as `allprop`).
    static func propfind(_ root: XMLNode?) throws(Refusal) -> DAVRequest {
        guard let root else { return .propfind(.all) }
        guard root.name == .dav("propfind") else { throw .badRequest("a PROPFIND body is a DAV:propfind element, not \(root.name)") }
        return .propfind(try properties(in: root) ?? .all)
    }

    /// The REPORT body `root`.
    static func report(_ root: XMLNode) throws(Refusal) -> DAVRequest {
        switch root.name {
        case .cardDAV("addressbook-multiget"):
            let hrefs = root.children(.dav("href")).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            return .multiget(try properties(in: root) ?? .all, hrefs: hrefs)
        case .dav("sync-collection"):
            let token = root.child(.dav("sync-token")).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let level = root.child(.dav("sync-level"))?.text.trimmingCharacters(in: .whitespacesAndNewlines), level != "1" {
                throw .badRequest("sync-level \(level) is not supported: address books hold no collections, use 1")
            }
            var limit: Int?
            if let nresults = root.child(.dav("limit"))?.child(.dav("nresults")) {
                guard let value = Int(nresults.text.trimmingCharacters(in: .whitespacesAndNewlines)), value > 0 else {
                    throw .badRequest("limit/nresults must be a positive number")
                }
                limit = value
            }
            return .syncCollection(try properties(in: root) ?? .all, token: token.flatMap { $0.isEmpty ? nil : $0 }, limit: limit)
        case .cardDAV("addressbook-query"):
            if let filter = root.child(.cardDAV("filter")), !filter.children.isEmpty { throw .unsupportedFilter }
            return .query(try properties(in: root) ?? .all)
        default:
            throw .unsupportedReport(root.name)
        }
    }

    /// The `prop`, `allprop` or `propname` child of `element`; `nil` when it has none.
    private static func properties(in element: XMLNode) throws(Refusal) -> PropertyRequest? {
        if element.child(.dav("allprop")) != nil { return .all }
        if element.child(.dav("propname")) != nil { return .names }
        guard let prop = element.child(.dav("prop")) else { return nil }
        return .some(prop.children.map(\.name))
    }
}
