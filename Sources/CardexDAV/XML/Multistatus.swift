/// A property of a resource and how to write its value.
struct DAVProperty: Sendable {
    var name: XMLName
    /// Whether `allprop` includes it (RFC 4918 §9.1: not the expensive ones, such as `address-data`).
    var inAllprop = true
    var write: @Sendable (inout XMLWriter) -> Void

    /// A property whose value is text.
    static func text(_ name: XMLName, _ value: String, inAllprop: Bool = true) -> DAVProperty {
        DAVProperty(name: name, inAllprop: inAllprop) { $0.characters(value) }
    }

    /// A property whose value is one `href`.
    static func href(_ name: XMLName, _ href: String) -> DAVProperty {
        DAVProperty(name: name) { $0.element(.dav("href"), text: href) }
    }

    /// A property whose value is empty elements (a resource type, privileges).
    static func elements(_ name: XMLName, _ elements: [XMLName]) -> DAVProperty {
        DAVProperty(name: name) { writer in for element in elements { writer.empty(element) } }
    }
}

/// The body of a 207 Multi-Status answer (RFC 4918 §13).
struct Multistatus {
    private var writer = XMLWriter()

    init() {
        writer.openRoot(.dav("multistatus"))
    }

    /// A resource's answer to `request`: the properties it has in a 200 propstat, the ones asked
    /// for that it lacks in a 404 one.
    mutating func add(href: String, properties: [DAVProperty], request: DAVRequest.PropertyRequest) {
        var found: [DAVProperty] = []
        var missing: [XMLName] = []
        var namesOnly = false
        switch request {
        case .all: found = properties.filter(\.inAllprop)
        case .names:
            found = properties
            namesOnly = true
        case .some(let names):
            for name in names {
                if let property = properties.first(where: { $0.name == name }) { found.append(property) } else { missing.append(name) }
            }
        }
        writer.element(.dav("response")) { writer in
            writer.element(.dav("href"), text: href)
            if !found.isEmpty || missing.isEmpty {
                Self.propstat(&writer, status: "200 OK") { writer in
                    for property in found {
                        if namesOnly { writer.empty(property.name) } else { writer.element(property.name) { property.write(&$0) } }
                    }
                }
            }
            if !missing.isEmpty {
                Self.propstat(&writer, status: "404 Not Found") { writer in for name in missing { writer.empty(name) } }
            }
        }
    }

    /// A resource answered by a status alone (a card gone since the sync token, an href not found).
    mutating func add(href: String, status: String) {
        writer.element(.dav("response")) { writer in
            writer.element(.dav("href"), text: href)
            writer.element(.dav("status"), text: "HTTP/1.1 \(status)")
        }
    }

    /// The collection's new sync token (RFC 6578 §6.2), after the responses.
    mutating func add(syncToken: String) {
        writer.element(.dav("sync-token"), text: syncToken)
    }

    /// The finished document.
    var text: String {
        var writer = writer
        writer.close(.dav("multistatus"))
        return writer.text
    }

    private static func propstat(_ writer: inout XMLWriter, status: String, _ body: (inout XMLWriter) -> Void) {
        writer.element(.dav("propstat")) { writer in
            writer.element(.dav("prop"), body)
            writer.element(.dav("status"), text: "HTTP/1.1 \(status)")
        }
    }
}
