import DecantCore
import DecantExtract
import DecantFetch
import Foundation

/// Reads sitemaps (https://www.sitemaps.org/protocol.html): `urlset` and `sitemapindex` XML, plain-text
/// sitemaps, and the `Sitemap:` lines of a robots.txt.
enum SitemapReader {
    /// The sitemap format of a root element, nil when it is no sitemap.
    static func format(of root: XMLElement) -> Sitemap.Format? {
        guard XMLNamespace.sitemaps.contains(root.namespace) else { return nil }
        switch root.name {
        case "urlset": return .urlset
        case "sitemapindex": return .index
        default: return nil
        }
    }

    /// The `<url>` or `<sitemap>` entries under `root`, in the root's namespace.
    static func read(_ root: XMLElement, format: Sitemap.Format, limits: SourceLimits) -> Sitemap {
        let ns = root.namespace
        var entries = EntryBuffer<Sitemap.Entry>(limit: limits.entries)
        let elements = root.children(format == .index ? "sitemap" : "url", in: ns)
        for (i, element) in elements.enumerated() {
            guard !entries.isFull else { entries.drop(elements.count - i); break }
            guard let loc = element.absoluteURL(element.child("loc", in: ns)?.text) else { continue }
            let lastmod = element.child("lastmod", in: ns)?.text
            entries.append(Sitemap.Entry(loc: loc, lastmod: lastmod.flatMap(DateNormalizer.normalize)))
        }
        return Sitemap(format: format, entries: entries.items, dropped: entries.dropped)
    }

    /// The sitemap URLs a robots.txt names (`Sitemap:` lines, any case, anywhere in the file), deduplicated.
    ///
    /// Uses `Robots`' own line and key splitting, so both readers agree on what a line is.
    static func robots(_ bytes: Data, url: String?, limits: SourceLimits) -> Sitemap {
        let text = Array(bytes.prefix(Robots.maxBytes))
        var entries = EntryBuffer<Sitemap.Entry>(limit: limits.entries)
        var seen = Set<String>()
        for line in Robots.lines(text) {
            guard let (key, value) = Robots.keyValue(text[line]), key == "sitemap",
                  let loc = absolute(value, base: url), seen.insert(loc).inserted else { continue }
            entries.append(Sitemap.Entry(loc: loc))
        }
        return Sitemap(format: .robots, entries: entries.items, dropped: entries.dropped)
    }

    /// A plain-text sitemap: every line that is an absolute http(s) URL, in order.
    static func text(_ bytes: Data, limits: SourceLimits) -> Sitemap {
        let text = Array(bytes)
        var entries = EntryBuffer<Sitemap.Entry>(limit: limits.entries)
        for line in Robots.lines(text) {
            let value = String(decoding: text[line], as: UTF8.self).trimmed
            guard let loc = absolute(value, base: nil) else { continue }
            entries.append(Sitemap.Entry(loc: loc))
        }
        return Sitemap(format: .text, entries: entries.items, dropped: entries.dropped)
    }

    private static func absolute(_ value: String, base: String?) -> String? {
        guard !value.isEmpty, let resolved = URLResolver(base: base).resolve(value),
              let scheme = URLResolver.scheme(of: resolved)?.lowercased(), scheme == "http" || scheme == "https"
        else { return nil }
        return resolved
    }
}
