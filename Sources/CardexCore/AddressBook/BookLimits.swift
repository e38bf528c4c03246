/// Size limits on address books, so a client cannot make the server store unbounded data.
public struct BookLimits: Sendable, Hashable {
    /// Most entries in one book.
    public var maxEntries: Int
    /// Most upserts plus removals in one update call.
    public var maxChangesPerCall: Int
    /// Most phone numbers, and most e-mail addresses, per entry.
    public var maxValuesPerEntry: Int
    /// Longest client entry id, name, number or address, in UTF-8 bytes.
    public var maxTextBytes: Int

    /// Creates limits.
    public init(maxEntries: Int, maxChangesPerCall: Int, maxValuesPerEntry: Int, maxTextBytes: Int) {
        self.maxEntries = maxEntries
        self.maxChangesPerCall = maxChangesPerCall
        self.maxValuesPerEntry = maxValuesPerEntry
        self.maxTextBytes = maxTextBytes
    }

    /// 50,000 entries per book; 5,000 changes per call; 32 numbers and 32 addresses per entry;
    /// ids, names and values up to 256 bytes.
    public static var defaults: BookLimits { BookLimits(maxEntries: 50_000, maxChangesPerCall: 5_000, maxValuesPerEntry: 32, maxTextBytes: 256) }
}
