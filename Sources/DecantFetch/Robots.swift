import Foundation

/// The rules of one robots.txt for one user agent (RFC 9309): Allow/Disallow with `*` and `$`, Crawl-delay.
public struct Robots: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var allow: Bool
        /// The path pattern, percent-encoding normalised (upper-case hex, non-ASCII encoded).
        public var pattern: String
    }

    /// The verdict for one path, with the rule that decided it.
    public struct Verdict: Sendable, Equatable {
        public var allowed: Bool
        /// `Disallow: /private`, or nil when no rule matched.
        public var rule: String?
    }

    public var rules: [Rule]
    /// Seconds between requests the site asks for (non-standard `Crawl-delay`), if any.
    public var crawlDelay: Double?

    /// Everything allowed (a missing robots.txt, or a 4xx).
    public static let allowAll = Robots(rules: [], crawlDelay: nil)
    /// Nothing allowed (robots.txt unreachable or 5xx).
    public static let disallowAll = Robots(rules: [Rule(allow: false, pattern: "/")], crawlDelay: nil)

    /// RFC 9309 asks parsers to read at least 500 KiB; the rest is ignored.
    public static let maxBytes = 512 * 1024

    public init(rules: [Rule], crawlDelay: Double?) {
        self.rules = rules
        self.crawlDelay = crawlDelay
    }

    /// Parses robots.txt bytes and keeps the groups that apply to `userAgent` (its product token, e.g.
    /// `Decant`), or else the `*` groups; several matching groups are combined.
    ///
    /// Works on bytes: lines end at CR, LF or CR LF (RFC 9309 §2.2), and a UTF-8 byte-order mark
    /// (or the start of one) before the first line is skipped.
    public init(parsing data: Data, userAgent: String) {
        let token = Self.productToken(userAgent).lowercased()
        let bytes = Array(data.prefix(Self.maxBytes))
        var specific = Group(), wildcard = Group()
        var current: [String] = []      // user agents of the group being read
        var readingAgents = false
        for line in Self.lines(bytes) {
            guard let (key, value) = Self.keyValue(bytes[line]) else { continue }
            switch key {
            case "user-agent":
                if !readingAgents { current = []; readingAgents = true }
                current.append(Self.productToken(value).lowercased())
            case "allow", "disallow", "crawl-delay":
                readingAgents = false
                let forUs = current.contains(token)
                let forAll = current.contains("*")
                guard forUs || forAll else { continue }
                if key == "crawl-delay" {
                    guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else { continue }
                    if forUs { specific.crawlDelay = seconds; specific.matched = true }
                    if forAll { wildcard.crawlDelay = seconds; wildcard.matched = true }
                    continue
                }
                let rule = value.isEmpty ? nil : Rule(allow: key == "allow", pattern: Self.normalize(value))
                if forUs { specific.matched = true; if let rule { specific.rules.append(rule) } }
                if forAll { wildcard.matched = true; if let rule { wildcard.rules.append(rule) } }
            default:
                continue  // sitemap and unknown lines do not end a group (RFC 9309 §2.2.4)
            }
        }
        let chosen = specific.matched ? specific : wildcard
        self.init(rules: chosen.rules, crawlDelay: chosen.crawlDelay)
    }

    /// The UTF-8 byte-order mark; a file starting with it, or with its first one or two bytes, skips them.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The byte ranges of the lines of `bytes`: each ends at CR, LF or CR LF; empty lines are left out.
    package static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var start = 0
        while start < min(bytes.count, byteOrderMark.count), bytes[start] == byteOrderMark[start] { start += 1 }
        var ranges: [Range<Int>] = []
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x0A || b == 0x0D else { i += 1; continue }
            if i > start { ranges.append(start..<i) }
            i += (b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
            start = i
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// `key: value` of one line without its `#` comment: the key lower-cased, both without surrounding
    /// spaces and tabs; nil for a line without a colon.
    package static func keyValue(_ line: ArraySlice<UInt8>) -> (key: String, value: String)? {
        let content = line[..<(line.firstIndex(of: UInt8(ascii: "#")) ?? line.endIndex)]
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let key = trimmed(content[..<colon]).map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        let value = trimmed(content[(colon + 1)...])
        return (String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = bytes
        while let first = s.first, first == 0x20 || first == 0x09 { s.removeFirst() }
        while let last = s.last, last == 0x20 || last == 0x09 { s.removeLast() }
        return s
    }

    private struct Group {
        var rules: [Rule] = []
        var crawlDelay: Double?
        var matched = false
    }

    /// Decides whether `path` (path and query of a URL) may be fetched: the longest matching
    /// pattern wins; on a tie Allow wins; `/robots.txt` is always allowed.
    public func verdict(for path: String) -> Verdict {
        let target = Self.normalize(path.isEmpty ? "/" : path)
        if target == "/robots.txt" { return Verdict(allowed: true, rule: nil) }
        var best: Rule?
        for rule in rules where Self.matches(pattern: rule.pattern, path: target) {
            guard let current = best else { best = rule; continue }
            let length = Self.matchLength(rule.pattern), bestLength = Self.matchLength(current.pattern)
            if length > bestLength || (length == bestLength && rule.allow && !current.allow) { best = rule }
        }
        guard let best else { return Verdict(allowed: true, rule: nil) }
        return Verdict(allowed: best.allow, rule: "\(best.allow ? "Allow" : "Disallow"): \(best.pattern)")
    }

    public func isAllowed(_ path: String) -> Bool { verdict(for: path).allowed }

    /// The product token of a user agent: `Decant/0.1 (+https://…)` → `Decant`.
    static func productToken(_ userAgent: String) -> String {
        let trimmed = userAgent.trimmingCharacters(in: .whitespaces)
        let end = trimmed.firstIndex(where: { $0 == "/" || $0 == " " }) ?? trimmed.endIndex
        return String(trimmed[..<end])
    }

    static func matchLength(_ pattern: String) -> Int { pattern.utf8.count }

    /// Matches `pattern` (with `*` for any run and a final `$` for the end) against `path` from its start.
    static func matches(pattern: String, path: String) -> Bool {
        var p = Array(pattern.utf8)
        let anchored = p.last == UInt8(ascii: "$")
        if anchored { p.removeLast() }
        let s = Array(path.utf8)
        // Split on '*' and match pieces greedily left to right (the first piece at the start).
        let pieces = p.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
        var position = 0
        for (index, piece) in pieces.enumerated() {
            if index == 0 {
                guard s.count >= piece.count, s[0..<piece.count].elementsEqual(piece) else { return false }
                position = piece.count
                continue
            }
            if piece.isEmpty { continue }
            if index == pieces.count - 1 && anchored {
                // The last piece must sit at the very end.
                guard s.count - piece.count >= position,
                      s[(s.count - piece.count)...].elementsEqual(piece) else { return false }
                return true
            }
            guard let found = find(piece, in: s, from: position) else { return false }
            position = found + piece.count
        }
        if anchored {
            return pieces.count > 1 && pieces.last!.isEmpty ? true : position == s.count
        }
        return true
    }

    private static func find(_ needle: ArraySlice<UInt8>, in hay: [UInt8], from start: Int) -> Int? {
        guard needle.count <= hay.count - start else { return nil }
        var i = start
        while i + needle.count <= hay.count {
            if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Percent-encodes non-ASCII and control bytes and upper-cases existing `%xx`, so
    /// `/ä`, `/%c3%a4` and `/%C3%A4` compare equal (RFC 9309 §2.2.2).
    static func normalize(_ path: String) -> String {
        let bytes = Array(path.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) {
                out += [b, upper(bytes[i + 1]), upper(bytes[i + 2])]
                i += 3
                continue
            }
            if b >= 0x80 || b <= 0x20 || b == 0x7F {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
    }

    private static func upper(_ b: UInt8) -> UInt8 { b >= 97 && b <= 102 ? b - 32 : b }
}
