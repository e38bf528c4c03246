import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A CardDAV client for the tests: requests with AsyncHTTPClient over TLS (trusting the test
/// certificate authority, no redirects followed), HTTP Basic with a user name and password, and
/// answers read with Foundation's XMLParser, not the server's own XML code.
struct DAVClient {
    static let http: HTTPClient = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(CardexTestServer.certificates.appendingPathComponent("ca.pem").path)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let port: Int
    /// Basic credentials; none when nil.
    var credentials: (username: String, password: String)?

    /// Sends `method` to `path` (percent-encoded) with `body` and `headers`; a PROPFIND or
    /// REPORT body is sent as XML.
    func send(
        _ method: String, _ path: String, body: String? = nil, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(30)
    ) async throws -> DAVResponse {
        try await send(method, path, bytes: body.map { Data($0.utf8) }, headers: headers, timeout: timeout)
    }

    /// Sends `method` to `path` with `bytes` as the body, as they are.
    func send(
        _ method: String, _ path: String, bytes body: Data?, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(30)
    ) async throws -> DAVResponse {
        var request = HTTPClientRequest(url: "https://localhost:\(port)\(path)")
        request.method = HTTPMethod(rawValue: method)
        if let credentials {
            let basic = Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(basic)")
        }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if method == "PROPFIND" || method == "REPORT" { request.headers.add(name: "Content-Type", value: "application/xml; charset=utf-8") }
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await Self.http.execute(request, timeout: timeout)
        let collected = try await response.body.collect(upTo: 64 << 20)
        return DAVResponse(status: response.status.code, headers: response.headers, body: String(buffer: collected))
    }

    func propfind(_ path: String, depth: String, properties: [String] = ["d:getetag"]) async throws -> DAVResponse {
        let props = properties.map { "<\($0)/>" }.joined()
        return try await send("PROPFIND", path, body: DAVBodies.propfind(props), headers: [("Depth", depth)])
    }

    func syncCollection(_ path: String, token: String?, limit: Int? = nil) async throws -> DAVResponse {
        try await send("REPORT", path, body: DAVBodies.syncCollection(token: token, limit: limit))
    }

    func multiget(_ path: String, hrefs: [String]) async throws -> DAVResponse {
        try await send("REPORT", path, body: DAVBodies.multiget(hrefs), headers: [("Depth", "1")])
    }
}

/// Request bodies as contacts apps send them.
enum DAVBodies {
    static let namespaces = #"xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/""#

    static func propfind(_ props: String) -> String {
        #"<?xml version="1.0" encoding="utf-8"?><d:propfind \#(namespaces)><d:prop>\#(props)</d:prop></d:propfind>"#
    }

    static func syncCollection(token: String?, limit: Int?) -> String {
        let limitElement = limit.map { "<d:limit><d:nresults>\($0)</d:nresults></d:limit>" } ?? ""
        return """
            <?xml version="1.0" encoding="utf-8"?><d:sync-collection \(namespaces)><d:sync-token>\(token ?? "")</d:sync-token>\
            <d:sync-level>1</d:sync-level>\(limitElement)<d:prop><d:getetag/></d:prop></d:sync-collection>
            """
    }

    static func multiget(_ hrefs: [String]) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?><card:addressbook-multiget \(namespaces)><d:prop><d:getetag/><card:address-data/></d:prop>\
        \(hrefs.map { "<d:href>\($0)</d:href>" }.joined())</card:addressbook-multiget>
        """
    }
}

/// An answer: its status, headers and body.
struct DAVResponse {
    let status: UInt
    let headers: HTTPHeaders
    let body: String

    /// The body as a multistatus: each `response` by href.
    func multistatus() throws -> DAVMultistatus {
        try DAVMultistatus(xml: Data(body.utf8))
    }
}

/// A 207 answer read with XMLParser: per href, the properties found (200) with their text, the
/// names of those not found, or the response's own status; and the sync token.
struct DAVMultistatus {
    struct Entry {
        var status: String?
        var found: [String: String] = [:]
        var missing: [String] = []
    }

    var entries: [String: Entry] = [:]
    /// The hrefs in the order answered.
    var hrefs: [String] = []
    var syncToken: String?

    init(xml: Data) throws {
        let tree = try XMLTree.parse(xml)
        guard tree.name == "DAV:multistatus" else { throw XMLTree.Failure(message: "root is \(tree.name)") }
        for response in tree.children(named: "DAV:response") {
            let href = response.child("DAV:href")?.text ?? ""
            var entry = Entry(status: response.child("DAV:status")?.text)
            for propstat in response.children(named: "DAV:propstat") {
                let status = propstat.child("DAV:status")?.text ?? ""
                for property in propstat.child("DAV:prop")?.children ?? [] {
                    if status.contains(" 200 ") {
                        entry.found[property.name] = property.children.isEmpty ? property.text : property.children.map(\.name).joined(separator: " ")
                    } else {
                        entry.missing.append(property.name)
                    }
                }
            }
            entries[href] = entry
            hrefs.append(href)
        }
        syncToken = tree.child("DAV:sync-token")?.text
    }

    subscript(href: String) -> Entry? { entries[href] }
}

/// An XML element with its namespace-qualified name (`namespace` + local name), text and children.
final class XMLTree {
    struct Failure: Error { let message: String }

    let name: String
    var text = ""
    var children: [XMLTree] = []

    init(name: String) { self.name = name }

    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }
    func children(named name: String) -> [XMLTree] { children.filter { $0.name == name } }

    static func parse(_ data: Data) throws -> XMLTree {
        let delegate = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw Failure(message: "not XML: \(parser.parserError.map(String.init(describing:)) ?? "empty")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = XMLTree(name: (namespaceURI ?? "") + elementName)
            stack.last?.children.append(element)
            if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
