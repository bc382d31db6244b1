/// Bounds on one feed, sitemap or OPML body; the defaults follow the sitemap protocol's own limits.
public struct SourceLimits: Sendable, Equatable {
    /// Entries (feed items, sitemap URLs, OPML feeds) kept from one body; later ones are dropped and the
    /// result says `truncated`.
    public var entries: Int
    /// Bytes of one body, checked before and again after gzip decompression.
    public var bytes: Int
    /// How many sitemap indexes deep a caller follows (a robots.txt or index at depth 0); carried, not used here.
    public var sitemapDepth: Int

    public init(entries: Int = 50_000, bytes: Int = 50 * 1024 * 1024, sitemapDepth: Int = 2) {
        self.entries = max(0, entries)
        self.bytes = max(0, min(bytes, Int(Int32.max)))
        self.sitemapDepth = max(0, sitemapDepth)
    }

    /// 50,000 entries, 50 MiB, sitemap depth 2 (an index of indexes).
    public static let standard = SourceLimits()
}
