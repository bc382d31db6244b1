import DecantExtract
/// Reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds from a parsed `XMLTree`, matching elements by namespace URI.
enum FeedReader {
    /// The feed format of a root element, nil when it is no XML feed.
    static func format(of root: XMLElement) -> Feed.Format? {
        if root.is("rss", in: nil) { return .rss2 }
        if root.is("RDF", in: XMLNamespace.rdf) { return .rss1 }
        if root.is("feed", in: XMLNamespace.atom) { return .atom }
        return nil
    }

    /// The feed under `root`, whose format `format(of:)` decided.
    static func read(_ root: XMLElement, format: Feed.Format, limits: SourceLimits) -> Feed {
        switch format {
        case .rss2: rss2(root, limits: limits)
        case .rss1: rss1(root, limits: limits)
        case .atom: atom(root, limits: limits)
        case .jsonFeed: Feed(format: .jsonFeed)
        }
    }

    // MARK: - RSS 2.0 (and 0.91/0.92: no namespace)

    static func rss2(_ root: XMLElement, limits: SourceLimits) -> Feed {
        guard let channel = root.child("channel", in: nil) else { return Feed(format: .rss2) }
        var entries = EntryBuffer<Feed.Entry>(limit: limits.entries)
        let items = channel.children("item", in: nil)
        for (i, item) in items.enumerated() {
            guard !entries.isFull else { entries.drop(items.count - i); break }
            entries.append(rss2Entry(item))
        }
        return Feed(format: .rss2, title: channel.child("title", in: nil)?.nonEmptyText,
                    homePage: channel.absoluteURL(channel.child("link", in: nil)?.text),
                    entries: entries.items, dropped: entries.dropped)
    }

    private static func rss2Entry(_ item: XMLElement) -> Feed.Entry {
        let guid = item.child("guid", in: nil)
        let guidText = guid?.nonEmptyText
        // A guid is a permalink unless it says isPermaLink="false".
        let guidLink = guid?.attribute("isPermaLink")?.trimmed.lowercased() == "false" ? nil : item.absoluteURL(guidText)
        let link = item.absoluteURL(item.child("link", in: nil)?.text) ?? guidLink ?? alternateLink(item)
        let date = item.child("pubDate", in: nil)?.text ?? item.child("date", in: XMLNamespace.dublinCore)?.text
        var authors = item.children("author", in: nil).compactMap(\.nonEmptyText)
        authors += item.children("creator", in: XMLNamespace.dublinCore).compactMap(\.nonEmptyText)
        var categories = item.children("category", in: nil).compactMap(\.nonEmptyText)
        categories += item.children("subject", in: XMLNamespace.dublinCore).compactMap(\.nonEmptyText)
        return Feed.Entry(id: guidText ?? link, link: link, title: item.child("title", in: nil)?.nonEmptyText,
                          published: date.flatMap(DateNormalizer.normalize), authors: unique(authors),
                          categories: unique(categories))
    }

    // MARK: - RSS 1.0 / RDF (and RSS 0.90)

    static func rss1(_ root: XMLElement, limits: SourceLimits) -> Feed {
        let ns = root.children.first { $0.name == "channel" || $0.name == "item" }?.namespace ?? XMLNamespace.rss1
        guard ns == XMLNamespace.rss1 || ns == XMLNamespace.rss090 else { return Feed(format: .rss1) }
        let channel = root.child("channel", in: ns)
        var entries = EntryBuffer<Feed.Entry>(limit: limits.entries)
        // Items are children of rdf:RDF; some feeds nest them in the channel.
        let items = root.children("item", in: ns) + (channel?.children("item", in: ns) ?? [])
        for (i, item) in items.enumerated() {
            guard !entries.isFull else { entries.drop(items.count - i); break }
            let about = item.attribute("about", in: XMLNamespace.rdf)?.trimmed
            let link = item.absoluteURL(item.child("link", in: ns)?.text) ?? item.absoluteURL(about)
            let entry = Feed.Entry(
                id: about.flatMap { $0.isEmpty ? nil : $0 } ?? link, link: link,
                title: item.child("title", in: ns)?.nonEmptyText,
                published: item.child("date", in: XMLNamespace.dublinCore).map(\.text).flatMap(DateNormalizer.normalize),
                authors: unique(item.children("creator", in: XMLNamespace.dublinCore).compactMap(\.nonEmptyText)),
                categories: unique(item.children("subject", in: XMLNamespace.dublinCore).compactMap(\.nonEmptyText)))
            entries.append(entry)
        }
        return Feed(format: .rss1, title: channel?.child("title", in: ns)?.nonEmptyText,
                    homePage: channel.flatMap { $0.absoluteURL($0.child("link", in: ns)?.text) },
                    entries: entries.items, dropped: entries.dropped)
    }

    // MARK: - Atom 1.0

    static func atom(_ root: XMLElement, limits: SourceLimits) -> Feed {
        let ns = XMLNamespace.atom
        let feedAuthors = authorNames(root)
        var entries = EntryBuffer<Feed.Entry>(limit: limits.entries)
        let elements = root.children("entry", in: ns)
        for (i, entry) in elements.enumerated() {
            guard !entries.isFull else { entries.drop(elements.count - i); break }
            let link = alternateLink(entry)
            let date = entry.child("published", in: ns)?.text ?? entry.child("updated", in: ns)?.text
            let authors = authorNames(entry)
            let categories = entry.children("category", in: ns).compactMap {
                ($0.attribute("term") ?? $0.attribute("label"))?.collapsedWhitespace
            }.filter { !$0.isEmpty }
            let item = Feed.Entry(
                id: entry.child("id", in: ns)?.nonEmptyText ?? link, link: link,
                title: entry.child("title", in: ns)?.nonEmptyText, published: date.flatMap(DateNormalizer.normalize),
                authors: authors.isEmpty ? feedAuthors : authors, categories: unique(categories))
            entries.append(item)
        }
        return Feed(format: .atom, title: root.child("title", in: ns)?.nonEmptyText, homePage: alternateLink(root),
                    entries: entries.items, dropped: entries.dropped)
    }

    /// The href of the first Atom `link` with rel `alternate` (the default rel), resolved against its xml:base.
    private static func alternateLink(_ element: XMLElement) -> String? {
        for link in element.children("link", in: XMLNamespace.atom) {
            let rel = link.attribute("rel")?.trimmed.lowercased() ?? "alternate"
            guard rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate" else { continue }
            if let url = link.absoluteURL(link.attribute("href")) { return url }
        }
        return nil
    }

    private static func authorNames(_ element: XMLElement) -> [String] {
        unique(element.children("author", in: XMLNamespace.atom).compactMap {
            $0.child("name", in: XMLNamespace.atom)?.nonEmptyText
        })
    }

    /// `values` without repeats, first occurrence kept.
    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
