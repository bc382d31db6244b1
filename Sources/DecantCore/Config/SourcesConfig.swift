/// How the service polls recurring sources (`decant subscribe`, `decant enqueue --opml`): the
/// default interval, the backoff of a failing source, and how many sources one pass polls; and the
/// limits of one feed or sitemap body, polled or named in a job (docs/sources.md).
public struct SourcesConfig: Sendable, Equatable, Codable {
    /// The interval of a source subscribed without `--every` (and of OPML imports), in seconds.
    public var defaultIntervalSeconds: Double = 3600
    /// The wait after a source's first failed poll; it doubles with each further failure.
    public var backoffBaseSeconds: Double = 300
    /// The longest wait between polls of a failing source.
    public var backoffMaxSeconds: Double = 86_400
    /// Sources polled in one pass (the rest wait for the next pass, right after).
    public var pollsPerPass = 8
    /// Entries kept from one feed or sitemap body; the rest are dropped (and counted in the log).
    public var maxEntries = 50_000
    /// Bytes of one feed or sitemap body, before and after gzip decompression.
    public var maxBytes = 52_428_800
    /// How many sitemap indexes deep a job or source is followed (robots.txt or index at depth 0).
    public var sitemapDepth = 2

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case defaultIntervalSeconds, backoffBaseSeconds, backoffMaxSeconds, pollsPerPass
        case maxEntries, maxBytes, sitemapDepth
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SourcesConfig()
        defaultIntervalSeconds = try c.number(.defaultIntervalSeconds, or: d.defaultIntervalSeconds)
        backoffBaseSeconds = try c.number(.backoffBaseSeconds, or: d.backoffBaseSeconds)
        backoffMaxSeconds = try c.number(.backoffMaxSeconds, or: d.backoffMaxSeconds)
        pollsPerPass = try c.integer(.pollsPerPass, or: d.pollsPerPass)
        maxEntries = try c.integer(.maxEntries, or: d.maxEntries)
        maxBytes = try c.integer(.maxBytes, or: d.maxBytes)
        sitemapDepth = try c.integer(.sitemapDepth, or: d.sitemapDepth)
        try require(backoffMaxSeconds >= backoffBaseSeconds, c, .backoffMaxSeconds,
                    "must be at least sources.backoffBaseSeconds")
    }
}
