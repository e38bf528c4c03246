/// An XML element's expanded name: its namespace and local name.
public struct XMLName: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var local: String

    public init(_ namespace: String, _ local: String) {
        self.namespace = namespace
        self.local = local
    }

    public var description: String { "{\(namespace)}\(local)" }

    /// The namespaces CardDAV speaks.
    public enum Namespace {
        public static let dav = "DAV:"
        public static let cardDAV = "urn:ietf:params:xml:ns:carddav"
        /// Apple's calendarserver extensions (`getctag`), which many clients ask for.
        public static let calendarServer = "http://calendarserver.org/ns/"
    }

    static func dav(_ local: String) -> XMLName { XMLName(Namespace.dav, local) }
    static func cardDAV(_ local: String) -> XMLName { XMLName(Namespace.cardDAV, local) }
}
