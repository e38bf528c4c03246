/// CardDAV's limits: what one client may make the server hold, and one request read.
public struct CardDAVSettings: Sendable, Hashable {
    /// The largest request body read (PROPFIND and REPORT XML, a PUT's vCard); 413 past it.
    public var maxRequestBodyBytes: Int
    /// Limits of the XML in PROPFIND and REPORT bodies.
    public var xml: XMLLimits
    /// Hrefs one `addressbook-multiget` may name.
    public var maxMultigetHrefs: Int
    /// Connections held in all; one more is closed as it opens.
    public var maxConnections: Int
    /// Connections held from one IP address; one more is closed as it opens.
    public var maxConnectionsPerAddress: Int

    /// Creates settings from every value; start from ``defaults`` to change a few.
    public init(maxRequestBodyBytes: Int, xml: XMLLimits, maxMultigetHrefs: Int, maxConnections: Int, maxConnectionsPerAddress: Int) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.xml = xml
        self.maxMultigetHrefs = maxMultigetHrefs
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
    }

    /// 1 MiB bodies, XML 32 deep and 20,000 elements at most, 10,000 hrefs per multiget,
    /// 1,024 connections, 256 from one address (the RPC port's defaults).
    public static var defaults: CardDAVSettings {
        CardDAVSettings(
            maxRequestBodyBytes: 1 << 20, xml: XMLLimits(maxDepth: 32, maxElements: 20_000), maxMultigetHrefs: 10_000, maxConnections: 1024,
            maxConnectionsPerAddress: 256)
    }
}
