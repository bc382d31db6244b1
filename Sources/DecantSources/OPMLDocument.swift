import Foundation

/// The feeds of an OPML subscription list: every `outline` with an `xmlUrl`, nested ones included.
public struct OPMLDocument: Sendable, Equatable {
    /// One subscribed feed.
    public struct Feed: Sendable, Equatable {
        /// The feed's absolute http(s) URL.
        public var url: String
        /// The outline's `title`, else its `text`.
        public var title: String?
        /// The site's URL (`htmlUrl`), if given.
        public var homePage: String?
        /// The titles of the enclosing outlines, outermost first (the reader's folders).
        public var folders: [String]

        public init(url: String, title: String? = nil, homePage: String? = nil, folders: [String] = []) {
            self.url = url
            self.title = title
            self.homePage = homePage
            self.folders = folders
        }
    }

    /// The `head/title`, if any.
    public var title: String?
    public var feeds: [Feed]
    /// True when feeds past `SourceLimits.entries` were dropped.
    public var truncated: Bool

    public init(title: String? = nil, feeds: [Feed] = [], truncated: Bool = false) {
        self.title = title
        self.feeds = feeds
        self.truncated = truncated
    }

    /// Parses an OPML file; relative `xmlUrl`s resolve against `url` (or the file's xml:base).
    public init(parsing bytes: Data, url: String? = nil, limits: SourceLimits = .standard) throws(SourceError) {
        if bytes.count > limits.bytes { throw .tooLarge(limit: limits.bytes) }
        let tree = try XMLTree(bytes: bytes, url: url)
        guard let root = tree.root else { throw .empty }
        guard root.is("opml", in: nil) else { throw .unknownRoot(name: root.name, namespace: root.namespace) }
        var feeds = EntryBuffer<Feed>(limit: limits.entries)
        // Depth-first in document order, with an explicit stack (libxml2 caps nesting at 256 anyway).
        var stack: [(XMLElement, [String])] = (root.child("body", in: nil)?.children("outline", in: nil) ?? [])
            .reversed().map { ($0, []) }
        while let (outline, folders) = stack.popLast() {
            let title = (outline.attribute("title") ?? outline.attribute("text"))?.collapsedWhitespace
            let name = title.flatMap { $0.isEmpty ? nil : $0 }
            if let xmlUrl = outline.attribute("xmlUrl"), let feedURL = outline.absoluteURL(xmlUrl) {
                guard feeds.append(Feed(url: feedURL, title: name, homePage: outline.absoluteURL(outline.attribute("htmlUrl")),
                                        folders: folders)) else { break }
            }
            let inner = folders + (name.map { [$0] } ?? [])
            stack.append(contentsOf: outline.children("outline", in: nil).reversed().map { ($0, inner) })
        }
        self.init(title: root.child("head", in: nil)?.child("title", in: nil)?.nonEmptyText, feeds: feeds.items,
                  truncated: feeds.truncated)
    }
}
