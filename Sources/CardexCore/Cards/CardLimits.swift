/// Size limits on a card, so a client cannot make the server store unbounded data.
public struct CardLimits: Sendable, Hashable {
    /// Most fields on one card.
    public var maxFields: Int
    /// Longest value in UTF-8 bytes (notes excepted).
    public var maxValueBytes: Int
    /// Longest note in UTF-8 bytes.
    public var maxNoteBytes: Int
    /// Longest label in UTF-8 bytes.
    public var maxLabelBytes: Int
    /// Most groups or people named in one field's audience.
    public var maxAudienceMembers: Int

    /// Creates limits.
    public init(maxFields: Int, maxValueBytes: Int, maxNoteBytes: Int, maxLabelBytes: Int, maxAudienceMembers: Int) {
        self.maxFields = maxFields
        self.maxValueBytes = maxValueBytes
        self.maxNoteBytes = maxNoteBytes
        self.maxLabelBytes = maxLabelBytes
        self.maxAudienceMembers = maxAudienceMembers
    }

    /// 64 fields; values up to 1,024 bytes, a note up to 4,096, labels up to 64;
    /// 256 groups or people per audience.
    public static var defaults: CardLimits { CardLimits(maxFields: 64, maxValueBytes: 1024, maxNoteBytes: 4096, maxLabelBytes: 64, maxAudienceMembers: 256) }
}
