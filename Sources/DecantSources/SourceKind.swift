import DecantCore
/// What a fetched body is for: a page to clean, or a feed or sitemap to expand into page URLs.
public enum SourceKind: String, Sendable, Equatable, CaseIterable, Codable {
    case page, feed, sitemap

    /// Splits a job line's `feed:` / `sitemap:` prefix off its URL (`feed:https://…`, `feed://host/…`);
    /// a line without one gives a nil kind and the line unchanged.
    public static func override(in line: String) -> (kind: SourceKind?, url: String) {
        for kind in [SourceKind.feed, .sitemap] {
            let prefix = kind.rawValue + ":"
            guard line.utf8.count > prefix.utf8.count,
                  line.prefix(prefix.count).lowercased() == prefix else { continue }
            let rest = String(line.dropFirst(prefix.count))
            // `feed://host/path` is the old feed URI scheme for http; `feed:https://…` wraps a URL.
            if rest.hasPrefix("//") { return (kind, "http:" + rest) }
            if let scheme = URLResolver.scheme(of: rest), ["http", "https"].contains(scheme.lowercased()) {
                return (kind, rest)
            }
        }
        return (nil, line)
    }
}
