import DecantCore
import DecantExtract
import Foundation

/// Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) with Foundation's JSONSerialization.
enum JSONFeedReader {
    /// The parsed top-level object when `bytes` is JSON; throws `.malformedJSON` when it is not.
    static func object(_ bytes: Data) throws(SourceError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON(reason: (error as NSError).localizedDescription)
        }
    }

    /// True when `object` is a JSON object whose `version` is a jsonfeed.org version URL.
    static func isJSONFeed(_ object: Any) -> Bool {
        guard let dict = object as? [String: Any], let version = dict["version"] as? String else { return false }
        return version.hasPrefix("https://jsonfeed.org/version/") || version.hasPrefix("http://jsonfeed.org/version/")
    }

    /// The feed in `object` (which `isJSONFeed` accepted); relative URLs resolve against `url`.
    static func read(_ object: Any, url: String?, limits: SourceLimits) -> Feed {
        guard let dict = object as? [String: Any] else { return Feed(format: .jsonFeed) }
        let resolver = URLResolver(base: url)
        func absolute(_ value: Any?) -> String? {
            guard let s = value as? String, !s.trimmed.isEmpty, let r = resolver.resolve(s),
                  let scheme = URLResolver.scheme(of: r)?.lowercased(), scheme == "http" || scheme == "https"
            else { return nil }
            return r
        }
        let feedAuthors = authors(dict)
        var entries = EntryBuffer<Feed.Entry>(limit: limits.entries)
        let items = (dict["items"] as? [Any]) ?? []
        for (i, element) in items.enumerated() {
            guard !entries.isFull else { entries.drop(items.count - i); break }
            guard let item = element as? [String: Any] else { continue }
            let link = absolute(item["url"]) ?? absolute(item["external_url"])
            let id: String? = switch item["id"] {
            case let s as String: s.trimmed.isEmpty ? nil : s.trimmed
            case let n as NSNumber: n.stringValue
            default: nil
            }
            let itemAuthors = authors(item)
            let tags = (item["tags"] as? [Any] ?? []).compactMap { ($0 as? String)?.collapsedWhitespace }
            let entry = Feed.Entry(
                id: id ?? link, link: link, title: text(item["title"]),
                published: (item["date_published"] as? String).flatMap(DateNormalizer.normalize),
                authors: itemAuthors.isEmpty ? feedAuthors : itemAuthors,
                categories: FeedReader.unique(tags.filter { !$0.isEmpty }))
            entries.append(entry)
        }
        return Feed(format: .jsonFeed, title: text(dict["title"]), homePage: absolute(dict["home_page_url"]),
                    entries: entries.items, dropped: entries.dropped)
    }

    /// `authors` (1.1) or `author` (1.0) names.
    private static func authors(_ dict: [String: Any]) -> [String] {
        var objects = (dict["authors"] as? [Any]) ?? []
        if let single = dict["author"] { objects.append(single) }
        return FeedReader.unique(objects.compactMap { ($0 as? [String: Any]).flatMap { text($0["name"]) } })
    }

    private static func text(_ value: Any?) -> String? {
        guard let s = (value as? String)?.collapsedWhitespace, !s.isEmpty else { return nil }
        return s
    }
}
