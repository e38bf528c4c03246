/// Bounds that keep a damaged or hostile file from costing unbounded memory or time: the parser
/// stops with a ``VCardError`` when one is passed.
///
/// ``defaults``: content lines up to 8 MiB once unfolded (room for a photo of about 6 MB inlined as
/// base64), 1,000 properties per card, 100,000 cards per file.
public struct VCardLimits: Sendable, Hashable {
    /// Longest content line, in bytes, once its folded continuation lines are joined (quoted-printable
    /// soft line breaks and 2.1 base64 blocks included). Default 8 MiB.
    public var maxLineBytes: Int
    /// Most properties one card may hold; those of a card nested in it (a 2.1 AGENT) are not kept and
    /// not counted. Default 1,000.
    public var maxPropertiesPerCard: Int
    /// Most cards one file may hold. Default 100,000.
    public var maxCards: Int

    /// Creates limits; every argument defaults to the value in ``defaults``.
    public init(maxLineBytes: Int = 8 << 20, maxPropertiesPerCard: Int = 1_000, maxCards: Int = 100_000) {
        self.maxLineBytes = maxLineBytes
        self.maxPropertiesPerCard = maxPropertiesPerCard
        self.maxCards = maxCards
    }

    /// The documented defaults.
    public static var defaults: VCardLimits { VCardLimits() }
}
