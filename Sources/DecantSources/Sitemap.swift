/// The URLs one sitemap lists: pages (`urlset`, a text sitemap) or further sitemaps (an index, robots.txt).
public struct Sitemap: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        /// `<urlset>`: page URLs.
        case urlset
        /// `<sitemapindex>`: sitemap URLs.
        case index
        /// `Sitemap:` lines of a robots.txt: sitemap URLs.
        case robots
        /// A plain-text sitemap, one page URL a line.
        case text
    }

    /// One `<url>` or `<sitemap>` (or line): its absolute http(s) location and `lastmod`.
    public struct Entry: Sendable, Equatable {
        public var loc: String
        /// ISO 8601 (`2024-03-05` or with time and zone), nil when absent or unreadable.
        public var lastmod: String?

        public init(loc: String, lastmod: String? = nil) {
            self.loc = loc
            self.lastmod = lastmod
        }
    }

    public var format: Format
    public var entries: [Entry]
    /// True when entries past `SourceLimits.entries` were dropped.
    public var truncated: Bool
    /// How many entries (elements, for XML) past `SourceLimits.entries` were dropped.
    public var dropped: Int

    public init(format: Format, entries: [Entry] = [], truncated: Bool = false, dropped: Int = 0) {
        self.format = format
        self.entries = entries
        self.truncated = truncated || dropped > 0
        self.dropped = dropped
    }

    /// True when the entries are sitemaps to read next (one level deeper), not pages.
    public var listsSitemaps: Bool { format == .index || format == .robots }
}
