/// Removes site names from page titles ("Title | Site", "Site - Title") and picks the part that
/// matches the page's `<h1>` when the title is made of several parts.
enum TitleCleaner {
    /// Separators between a title and a site name, tried in this order.
    static let separators = [" | ", " - ", " — ", " – ", " :: ", " · ", " • ", " » ", " / "]

    /// The cleaned title; falls back to `h1` when there is no title, and is never empty when either is given.
    static func clean(_ title: String?, siteName: String?, host: String?, h1: String?) -> String {
        let raw = stripDanglingSeparators(title?.collapsedWhitespace ?? "")
        let heading = h1?.collapsedWhitespace ?? ""
        if raw.isEmpty { return heading }
        let titleKey = TextKey.make(raw)
        let headingKey = TextKey.make(heading)
        if !headingKey.isEmpty && titleKey == headingKey { return raw }
        guard let separator = separators.first(where: { raw.contains($0) }) else { return raw }
        var parts = raw.components(separatedBy: separator).map(\.trimmed).filter { !$0.isEmpty }
        guard parts.count >= 2 else { return raw }
        // A part (or a run of leading/trailing parts) equal to the h1 is the title.
        if !headingKey.isEmpty {
            for n in stride(from: parts.count - 1, through: 1, by: -1) {
                for start in 0...(parts.count - n) {
                    let candidate = parts[start..<(start + n)].joined(separator: separator)
                    if TextKey.make(candidate) == headingKey { return candidate }
                }
            }
        }
        let siteKeys = siteKeys(siteName: siteName, host: host)
        if !siteKeys.isEmpty {
            if parts.count >= 2, isSite(parts[parts.count - 1], siteKeys) { parts.removeLast() }
            if parts.count >= 2, isSite(parts[0], siteKeys) { parts.removeFirst() }
        }
        let result = parts.joined(separator: separator)
        return result.isEmpty ? raw : result
    }

    /// "Title |" and "| Title" (an empty site part) lose the separator.
    static func stripDanglingSeparators(_ s: String) -> String {
        let marks: Set<Character> = ["|", "-", "—", "–", ":", "·", "•", "»", "/"]
        var t = Substring(s)
        while let last = t.last, marks.contains(last), t.dropLast().last == " " { t = t.dropLast().dropLast() }
        while let first = t.first, marks.contains(first), t.dropFirst().first == " " { t = t.dropFirst(2) }
        let out = t.trimmed
        return out.isEmpty ? s : out
    }

    private static func siteKeys(siteName: String?, host: String?) -> [String] {
        var keys: [String] = []
        if let s = siteName.map({ TextKey.make($0) }), !s.isEmpty { keys.append(s) }
        if let host, !host.isEmpty {
            keys.append(TextKey.make(host))  // "example com"
            // "example" of news.example.co.uk: every label but the last and generic second levels.
            let generic: Set<Substring> = ["co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"]
            for label in host.split(separator: ".").dropLast() where label.count >= 3 && !generic.contains(label) {
                keys.append(TextKey.make(String(label)))
            }
        }
        return keys
    }

    /// A part names the site: equal to the site name or host, ignoring case, spaces and punctuation.
    private static func isSite(_ part: String, _ keys: [String]) -> Bool {
        let key = TextKey.make(part)
        if key.isEmpty { return false }
        let squeezed = key.replacingOccurrences(of: " ", with: "")
        return keys.contains { $0 == key || $0.replacingOccurrences(of: " ", with: "") == squeezed }
    }
}
