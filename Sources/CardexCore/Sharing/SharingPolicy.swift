/// Limits on sharing, so one account cannot make the server hold or send without bound.
public struct SharingPolicy: Sendable, Hashable {
    /// Recipients named in one `Shares.share(fields:of:with:now:)` call.
    public var maxRecipientsPerCall: Int
    /// Shares one person may have waiting for an answer (unanswered or undelivered) at once.
    public var maxUnansweredShares: Int
    /// Selectors in one share.
    public var maxSelectors: Int
    /// At most one invitation or notice of a kind goes to a number within this time, however
    /// many shares are sent to it.
    public var noticeInterval: Duration

    /// Creates a policy.
    public init(maxRecipientsPerCall: Int, maxUnansweredShares: Int, maxSelectors: Int, noticeInterval: Duration) {
        self.maxRecipientsPerCall = maxRecipientsPerCall
        self.maxUnansweredShares = maxUnansweredShares
        self.maxSelectors = maxSelectors
        self.noticeInterval = noticeInterval
    }

    /// 100 recipients per call; 1,000 unanswered shares per person; 64 selectors per share;
    /// one invitation or notice of each kind per number per 24 hours.
    public static var defaults: SharingPolicy {
        SharingPolicy(maxRecipientsPerCall: 100, maxUnansweredShares: 1000, maxSelectors: 64, noticeInterval: .seconds(24 * 3600))
    }
}
