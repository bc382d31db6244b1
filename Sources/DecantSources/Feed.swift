/// The entries of one feed, newest usually first, as the feed lists them.
public struct Feed: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        case rss2, rss1, atom, jsonFeed
    }

    /// One item of a feed: where it points and the hints it carries for the page.
    public struct Entry: Sendable, Equatable {
        /// The feed's own identifier (RSS `guid`, RDF `rdf:about`, Atom `id`, JSON Feed `id`), else the link.
        public var id: String?
        /// The article's absolute http(s) URL, nil when the entry has none.
        public var link: String?
        public var title: String?
        /// ISO 8601 (`2024-03-05T10:00:00Z`), nil when absent or unreadable.
        public var published: String?
        public var authors: [String]
        public var categories: [String]

        public init(id: String? = nil, link: String? = nil, title: String? = nil, published: String? = nil,
                    authors: [String] = [], categories: [String] = []) {
            self.id = id
            self.link = link
            self.title = title
            self.published = published
            self.authors = authors
            self.categories = categories
        }
    }

    public var format: Format
    public var title: String?
    /// The site the feed belongs to (RSS channel `link`, Atom alternate link, JSON Feed `home_page_url`).
    public var homePage: String?
    public var entries: [Entry]
    /// True when entries past `SourceLimits.entries` were dropped.
    public var truncated: Bool
    /// How many items past `SourceLimits.entries` were dropped.
    public var dropped: Int

    public init(format: Format, title: String? = nil, homePage: String? = nil, entries: [Entry] = [],
                truncated: Bool = false, dropped: Int = 0) {
        self.format = format
        self.title = title
        self.homePage = homePage
        self.entries = entries
        self.truncated = truncated || dropped > 0
        self.dropped = dropped
    }
}
