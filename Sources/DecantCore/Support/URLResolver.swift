/// Resolves relative link and image references against a base URL (RFC 3986, section 5).
///
/// Absolute references stay as written; `javascript:`, `data:` and `vbscript:` references give nil.
public struct URLResolver: Sendable, Equatable {
    /// The parsed base, nil when no absolute base URL was given.
    package let base: Parts?

    package struct Parts: Sendable, Equatable {
        package var scheme: String
        package var authority: String?
        package var path: String
        package var query: String?
    }

    /// A resolver for references on a page at `base` (nil or relative: references stay as written).
    public init(base: String?) {
        self.base = base.flatMap { Self.parse(Self.clean($0)) }
    }

    /// The absolute form of `reference`, or nil when it must not become a link.
    public func resolve(_ reference: String) -> String? {
        let ref = Self.clean(reference)
        if let scheme = Self.scheme(of: ref) {
            switch scheme.lowercased() {
            case "javascript", "data", "vbscript": return nil
            default: return ref
            }
        }
        guard let base else { return ref.isEmpty ? nil : ref }
        return Self.resolve(ref, against: base)
    }

    /// The host of an absolute URL, lower-cased, without `www.` and port.
    public static func host(of url: String) -> String? {
        guard let parts = parse(clean(url)), var authority = parts.authority else { return nil }
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            authority = String(authority[..<colon])
        }
        var host = authority.lowercased()
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return host.isEmpty ? nil : host
    }

    // MARK: - RFC 3986

    package static func resolve(_ ref: String, against base: Parts) -> String {
        var (rest, fragment) = split(ref, at: "#")
        var query: String?
        (rest, query) = split(rest, at: "?")
        var authority: String?
        var path: String
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            authority = String(afterSlashes[..<end])
            path = removeDotSegments(String(afterSlashes[end...]))
        } else {
            authority = base.authority
            if rest.isEmpty {
                path = base.path
                if query == nil { query = base.query }
            } else if rest.hasPrefix("/") {
                path = removeDotSegments(rest)
            } else {
                path = removeDotSegments(merge(base, rest))
            }
        }
        var out = base.scheme + ":"
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        if let fragment { out += "#" + fragment }
        return out
    }

    private static func merge(_ base: Parts, _ path: String) -> String {
        if base.authority != nil && base.path.isEmpty { return "/" + path }
        guard let slash = base.path.lastIndex(of: "/") else { return path }
        return String(base.path[...slash]) + path
    }

    /// RFC 3986 section 5.2.4.
    package static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let absolute = path.hasPrefix("/")
        for (k, seg) in segments.enumerated() {
            if k == 0 && absolute { continue }
            let last = k == segments.count - 1
            if seg == "." {
                if last { output.append("") }
            } else if seg == ".." {
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            } else {
                output.append(seg)
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }

    package static func parse(_ url: String) -> Parts? {
        guard let scheme = scheme(of: url) else { return nil }
        var rest = url.dropFirst(scheme.count + 1)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query: String?
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var authority: String?
        if rest.hasPrefix("//") {
            let a = rest.dropFirst(2)
            let end = a.firstIndex(of: "/") ?? a.endIndex
            authority = String(a[..<end])
            rest = a[end...]
        }
        return Parts(scheme: scheme.lowercased(), authority: authority, path: String(rest), query: query)
    }

    /// The scheme of an absolute reference (`https` in `https://…`), nil for relative ones.
    package static func scheme(of ref: String) -> String? {
        var count = 0
        for b in ref.utf8 {
            let letter = (b | 0x20) >= 97 && (b | 0x20) <= 122
            if count == 0 {
                guard letter else { return nil }
            } else if b == UInt8(ascii: ":") {
                return String(ref.utf8.prefix(count))!
            } else if !(letter || (b >= 48 && b <= 57) || b == 43 || b == 45 || b == 46) {
                return nil
            }
            count += 1
        }
        return nil
    }

    private static func split(_ s: String, at char: Character) -> (String, String?) {
        guard let i = s.firstIndex(of: char) else { return (s, nil) }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }

    /// Trims the reference, drops tabs and line breaks inside it (as browsers do), encodes spaces.
    package static func clean(_ ref: String) -> String {
        let t = ref.trimmed
        guard t.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 32 }) else { return t }
        var out = ""
        for ch in t.unicodeScalars {
            switch ch {
            case "\t", "\n", "\r": continue
            case " ": out += "%20"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
