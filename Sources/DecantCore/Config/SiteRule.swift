import Foundation

/// One site's rules (`sites.<host>` in pipeline.json): XPaths that override the generic cleaner and
/// metadata, and fetch settings for the host. Every key is optional.
public struct SiteRule: Sendable, Equatable, Codable {
    /// XPaths selecting the article's elements (all matches, in document order); empty: the generic choice.
    public var content: [String] = []
    /// XPaths of elements removed from the page before cleaning.
    public var drop: [String] = []
    /// XPaths whose first match's string value replaces the title, the published date or the author.
    public var title: String?
    public var date: String?
    public var author: String?
    /// Overrides `fetch.userAgent` for page requests to the host.
    public var userAgent: String?
    /// Overrides `fetch.perHostDelayMs` for the host (robots.txt `Crawl-delay` can still raise it).
    public var perHostDelayMs: Int?
    /// Cookies sent with page requests to the host, by name.
    public var cookies: [String: String] = [:]

    public init() {}

    /// At most this many XPaths in `content` or `drop`, and this long each (UTF-8 bytes).
    public static let maxExpressions = 32
    public static let maxExpressionBytes = 4096

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case content, drop, title, date, author, userAgent, perHostDelayMs, cookies
    }

    /// Every XPath of the rule with its key path suffix (`content[1]`, `title`), in key order.
    public var expressions: [(key: String, xpath: String)] {
        var out: [(String, String)] = []
        for (k, x) in content.enumerated() { out.append(("content[\(k)]", x)) }
        for (k, x) in drop.enumerated() { out.append(("drop[\(k)]", x)) }
        if let title { out.append(("title", title)) }
        if let date { out.append(("date", date)) }
        if let author { out.append(("author", author)) }
        return out
    }

    /// The `Cookie` request header value (`a=1; b=2`, by name), nil without cookies.
    public var cookieHeader: String? {
        cookies.isEmpty ? nil : cookies.keys.sorted().map { "\($0)=\(cookies[$0]!)" }.joined(separator: "; ")
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        content = try c.value(.content, or: [])
        drop = try c.value(.drop, or: [])
        if c.contains(.title) { title = try c.value(.title, or: "") }
        if c.contains(.date) { date = try c.value(.date, or: "") }
        if c.contains(.author) { author = try c.value(.author, or: "") }
        if c.contains(.userAgent) { userAgent = try c.value(.userAgent, or: "") }
        if c.contains(.perHostDelayMs) { perHostDelayMs = try c.integer(.perHostDelayMs, or: 0) }
        cookies = try c.value(.cookies, or: [:])
        try require(content.count <= Self.maxExpressions, c, .content, "must hold at most \(Self.maxExpressions) XPaths")
        try require(drop.count <= Self.maxExpressions, c, .drop, "must hold at most \(Self.maxExpressions) XPaths")
        for (suffix, xpath) in expressions {
            let path = joinedKeyPath(c.codingPath) + "." + suffix
            if xpath.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ConfigError.invalidValue(keyPath: path, reason: "must not be empty")
            }
            if xpath.utf8.count > Self.maxExpressionBytes {
                throw ConfigError.invalidValue(keyPath: path, reason: "must be at most \(Self.maxExpressionBytes) bytes")
            }
        }
        if let userAgent {
            try require(!userAgent.isEmpty, c, .userAgent, "must not be empty")
            try require(!userAgent.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, c, .userAgent,
                        "must not contain control characters")
        }
        for name in cookies.keys.sorted() {
            let path = c.path(.cookies) + "." + name
            if let problem = Self.cookieProblem(name: name, value: cookies[name] ?? "") {
                throw ConfigError.invalidValue(keyPath: path, reason: problem)
            }
        }
    }

    /// Why a cookie cannot be sent, nil when it can: an HTTP token name, a value without `;`, `,`,
    /// quotes, spaces, backslashes or control characters (RFC 6265 cookie-octets).
    package static func cookieProblem(name: String, value: String) -> String? {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if name.isEmpty || !name.unicodeScalars.allSatisfy(token.contains) { return "is not a valid cookie name" }
        let bad = value.unicodeScalars.contains {
            $0.value < 0x21 || $0.value > 0x7E || $0 == "\"" || $0 == "," || $0 == ";" || $0 == "\\"
        }
        return bad ? "must be a cookie value (printable ASCII without spaces, quotes, ',', ';' or '\\')" : nil
    }
}

/// The `sites` section: rules by host, matched by host suffix on label boundaries (most specific wins).
public struct SiteRules: Sendable, Equatable, Codable {
    /// Rules by host key (lower-case ASCII, e.g. `example.com` or `blog.example.com`).
    public private(set) var byHost: [String: SiteRule] = [:]

    /// At most this many hosts (a rule set is read at every load).
    public static let maxHosts = 10_000

    public init(_ byHost: [String: SiteRule] = [:]) { self.byHost = byHost }

    public var isEmpty: Bool { byHost.isEmpty }

    /// The most specific rule whose key is `host` or a suffix of it on a label boundary
    /// (`example.com` matches `www.example.com`, not `badexample.com`), with its key.
    public func match(host: String) -> (key: String, rule: SiteRule)? {
        if byHost.isEmpty { return nil }
        var h = host.lowercased()
        if h.hasSuffix(".") { h.removeLast() }
        var rest = Substring(h)
        while !rest.isEmpty {
            if let rule = byHost[String(rest)] { return (String(rest), rule) }
            guard let dot = rest.firstIndex(of: ".") else { return nil }
            rest = rest[rest.index(after: dot)...]
        }
        return nil
    }

    /// The rule for the host of `url` (an absolute http(s) URL), if any.
    public func match(url: String?) -> (key: String, rule: SiteRule)? {
        if byHost.isEmpty { return nil }
        guard let url, let host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        return match(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        if c.allKeys.count > Self.maxHosts {
            throw ConfigError.invalidValue(keyPath: joinedKeyPath(c.codingPath), reason: "must hold at most \(Self.maxHosts) hosts")
        }
        for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            if let problem = Self.hostProblem(key.stringValue) {
                throw ConfigError.invalidValue(keyPath: c.path(key), reason: problem)
            }
            byHost[key.stringValue] = try c.value(key, or: SiteRule())
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for (host, rule) in byHost { try c.encode(rule, forKey: AnyCodingKey(stringValue: host)) }
    }

    /// Why `key` cannot name a host, nil when it can: lower-case ASCII labels (punycode for IDNs)
    /// of letters, digits, `-` and `_`, separated by single dots; an IPv4 or bracket-less IPv6 address also works.
    package static func hostProblem(_ key: String) -> String? {
        if key.isEmpty || key.utf8.count > 253 { return "must be a host name of 1 to 253 characters" }
        if key.contains(":") {
            return key.unicodeScalars.allSatisfy({ "0123456789abcdef:.".unicodeScalars.contains($0) })
                ? nil : "must be a lower-case host name (punycode for international names) without scheme, port or path"
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-_")
        for label in key.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty || label.utf8.count > 63 || !label.unicodeScalars.allSatisfy(allowed.contains) {
                return "must be a lower-case host name (punycode for international names) without scheme, port or path"
            }
        }
        return nil
    }
}
