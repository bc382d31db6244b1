import Foundation

/// A URL handed to one node to be fetched, until it is completed, deferred, failed or returned.
public struct QueueLease: Sendable, Equatable {
    public var url: String
    /// Fetch rounds already done (deferrals).
    public var attempts: Int
    /// The article delivered for this URL earlier, if any (kept across re-fetches for 304s).
    public var articleId: String?
    public var firstSeen: Double
    /// Tells this lease from a later one of the same URL (another node's, after this one expired).
    public var token: String
    /// What the URL's newest job line asked for (tags, priority, formats, hints…).
    public var options: JobOptions

    public init(url: String, attempts: Int, articleId: String?, firstSeen: Double, token: String,
                options: JobOptions = JobOptions()) {
        self.options = options
        self.url = url
        self.attempts = attempts
        self.articleId = articleId
        self.firstSeen = firstSeen
        self.token = token
    }
}
