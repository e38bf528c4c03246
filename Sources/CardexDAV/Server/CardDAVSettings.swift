/// CardDAV's limits: what one request may make the server read or hold.
public struct CardDAVSettings: Sendable, Hashable {
    /// The largest request body read (PROPFIND and REPORT XML, a PUT's vCard); 413 past it.
    public var maxRequestBodyBytes: Int
    /// Limits of the XML in PROPFIND and REPORT bodies.
    public var xml: XMLLimits
    /// Hrefs one `addressbook-multiget` may name.
    public var maxMultigetHrefs: Int

    public init(maxRequestBodyBytes: Int = 1 << 20, xml: XMLLimits = XMLLimits(), maxMultigetHrefs: Int = 10_000) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.xml = xml
        self.maxMultigetHrefs = maxMultigetHrefs
    }

    /// 1 MiB bodies, XML 32 deep and 20,000 elements at most, 10,000 hrefs per multiget.
    public static var defaults: CardDAVSettings { CardDAVSettings() }
}
