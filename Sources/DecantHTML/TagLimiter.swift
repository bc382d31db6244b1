#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds libxml2's work on a page before it is parsed: a start tag keeps its first
/// `ExtractLimits.attributesPerTag` attributes (libxml2 compares each new attribute with all
/// earlier ones of its tag, so a tag of 100,000 attributes takes minutes), and the elements,
/// attributes, comments and processing instructions of the page are counted against
/// `ExtractLimits.nodes`.
///
/// The scan reads markup as libxml2 2.9's HTML parser does — comments, `<script>` and `<style>`
/// text, processing instructions, DOCTYPE literals, quoted and unquoted attribute values — so
/// its tags are libxml2's tags. Where the two readings could differ it reads the bytes as
/// markup, which can only count and cut more, never hide a tag from the limits.
package enum TagLimiter {
    /// What a scan found: byte ranges to drop (the attributes past the limit), where the page
    /// ends for libxml2 and the nodes counted.
    package struct Plan: Equatable {
        package var cuts: [Range<Int>] = []
        /// The bytes libxml2 reads: a comment or processing instruction that never ends takes
        /// the rest of the page with it, so that rest need not be copied and buffered.
        package var length: Int
        package var nodes = 0
    }

    /// Scans `bytes` (UTF-8 without NUL bytes); throws `.tooManyNodes` past the node limit.
    package static func plan(_ bytes: UnsafeBufferPointer<UInt8>, limits: ExtractLimits) throws(HTMLError) -> Plan {
        guard let base = bytes.baseAddress else { return Plan(length: 0) }
        var scanner = Scanner(p: base, n: bytes.count, limits: limits)
        return try scanner.run()
    }

    /// The first `plan.length` bytes without the plan's cuts.
    package static func apply(_ plan: Plan, to bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(plan.length - plan.cuts.reduce(0) { $0 + $1.count })
        var from = 0
        for cut in plan.cuts {
            out.append(contentsOf: bytes[from..<cut.lowerBound])
            from = cut.upperBound
        }
        out.append(contentsOf: bytes[from..<plan.length])
        return out
    }

    /// Elements whose content libxml2 reads as text up to their end tag, with the start tags that
    /// close them when they come first (from libxml2's auto-close table).
    package static let rawTextElements: [(name: [UInt8], closedBy: [[UInt8]])] = [
        (Array("script".utf8), [Array("noscript".utf8)]),
        (Array("style".utf8), [Array("body".utf8), Array("frameset".utf8)]),
    ]

    /// libxml2 reads at most this many characters of a tag or attribute name; the rest starts a new attribute.
    package static let maxNameLength = 100

    private struct Scanner {
        package let p: UnsafePointer<UInt8>
        package let n: Int
        package let limits: ExtractLimits
        package var plan: Plan

        package init(p: UnsafePointer<UInt8>, n: Int, limits: ExtractLimits) {
            self.p = p
            self.n = n
            self.limits = limits
            plan = Plan(length: n)
        }

        package mutating func run() throws(HTMLError) -> Plan {
            var i = 0
            while let lt = find(UInt8(ascii: "<"), from: i) {
                i = lt
                let c = at(i + 1)
                if c == UInt8(ascii: "/") {
                    i = endTag(i)
                } else if isLetter(c) {
                    i = try startTag(i)
                } else if c == UInt8(ascii: "!") && at(i + 2) == UInt8(ascii: "-") && at(i + 3) == UInt8(ascii: "-") {
                    try count(1)
                    guard let close = commentEnd(i) else { plan.length = lt; break }
                    i = close
                } else if c == UInt8(ascii: "!") && matchesIgnoringCase(i + 2, "doctype") {
                    try count(1)
                    i = doctype(i)
                } else if c == UInt8(ascii: "?") && isNameStart(at(i + 2)) {
                    // A processing instruction ends at the first '>'. A target starting with a
                    // non-ASCII letter may or may not be one for libxml2: read on as text.
                    try count(1)
                    guard let close = find(UInt8(ascii: ">"), from: i + 2) else { plan.length = lt; break }
                    i = close + 1
                } else if c == UInt8(ascii: "?") {
                    i += 2
                } else {
                    i += 1  // '<' as text
                }
            }
            return plan
        }

        // MARK: - Markup

        /// `</name ... >`: skipped to the next '>'. `</` not followed by a name is dropped and text goes on.
        private func endTag(_ i: Int) -> Int {
            guard isNameStart(at(i + 2)) || at(i + 2) == UInt8(ascii: ".") else { return i + 2 }
            return end(after: find(UInt8(ascii: ">"), from: i + 2))
        }

        /// A start tag: its name, then attributes as libxml2's `htmlParseStartTag` reads them.
        private mutating func startTag(_ i: Int) throws(HTMLError) -> Int {
            var j = i + 1
            let nameStart = j
            while j < n && j - nameStart < TagLimiter.maxNameLength && isNameChar(p[j]) { j += 1 }
            let nameEnd = j
            var attributes = 0
            var cut: Int?
            var closer = 0  // 1 for '>', 2 for '/>', 0 at the end of the input
            while true {
                j = skipBlanks(j)
                guard j < n else { break }
                let c = p[j]
                if c == UInt8(ascii: ">") { closer = 1; break }
                if c == UInt8(ascii: "/") && at(j + 1) == UInt8(ascii: ">") { closer = 2; break }
                if isNameStart(c) || c == UInt8(ascii: ".") {
                    attributes += 1
                    if attributes == limits.attributesPerTag + 1 { cut = j }
                    j = attribute(j)
                } else {
                    // Not an attribute name: libxml2 drops up to the next blank or end of tag.
                    while j < n && !isBlank(p[j]) && p[j] != UInt8(ascii: ">")
                        && !(p[j] == UInt8(ascii: "/") && at(j + 1) == UInt8(ascii: ">")) { j += 1 }
                }
            }
            try count(1 + min(attributes, limits.attributesPerTag))
            if let cut { plan.cuts.append(cut..<j) }
            guard closer > 0 else { return n }
            if closer == 1, let raw = rawTextElement(nameStart..<nameEnd) {
                return rawText(from: j + 1, name: nameStart..<nameEnd, closedBy: TagLimiter.rawTextElements[raw].closedBy)
            }
            return j + closer
        }

        /// `name`, `name = value`, `name="value"` or `name='value'`; returns the index after it.
        private func attribute(_ start: Int) -> Int {
            var j = start
            while j < n && j - start < TagLimiter.maxNameLength && isNameChar(p[j]) { j += 1 }
            j = skipBlanks(j)
            guard j < n && p[j] == UInt8(ascii: "=") else { return j }
            j = skipBlanks(j + 1)
            guard j < n else { return n }
            let q = p[j]
            if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") { return end(after: find(q, from: j + 1)) }
            while j < n && !isBlank(p[j]) && p[j] != UInt8(ascii: ">") { j += 1 }
            return j
        }

        /// The index in `rawTextElements` of the element named by `name`, if any.
        private func rawTextElement(_ name: Range<Int>) -> Int? {
            TagLimiter.rawTextElements.firstIndex { name.count == $0.name.count && matchesIgnoringCase(name.lowerBound, $0.name) }
        }

        /// Script or style text from `start`: up to the next `</name`, where markup resumes.
        ///
        /// libxml2 reads an end tag or an auto-closing start tag at the very start as markup; any
        /// end tag may close the element (depending on what is open), so after one the scan
        /// always reads markup again.
        private func rawText(from start: Int, name: Range<Int>, closedBy: [[UInt8]]) -> Int {
            guard start < n else { return n }
            if p[start] == UInt8(ascii: "<") {
                if at(start + 1) == UInt8(ascii: "/") { return start }
                if isLetter(at(start + 1)) {
                    var k = start + 1
                    while k < n && isNameChar(p[k]) { k += 1 }
                    if closedBy.contains(where: { $0.count == k - start - 1 && matchesIgnoringCase(start + 1, $0) }) {
                        return start
                    }
                }
            }
            var i = start
            while let lt = find(UInt8(ascii: "<"), from: i) {
                if at(lt + 1) == UInt8(ascii: "/") && matchesIgnoringCase(lt + 2, name) { return lt }
                i = lt + 1
            }
            return n
        }

        /// The index after the first `-->` or `--!>` following the `<!--` at `i`, or nil when the comment never ends.
        private func commentEnd(_ i: Int) -> Int? {
            var k = i + 4
            while let dash = find(UInt8(ascii: "-"), from: k) {
                if at(dash + 1) == UInt8(ascii: "-") {
                    if at(dash + 2) == UInt8(ascii: ">") { return dash + 3 }
                    if at(dash + 2) == UInt8(ascii: "!") && at(dash + 3) == UInt8(ascii: ">") { return dash + 4 }
                }
                k = dash + 1
            }
            return nil
        }

        /// `<!DOCTYPE name SYSTEM "…">` or `PUBLIC "…" "…"`: quoted literals may hold '>'; then to the next '>'.
        private func doctype(_ i: Int) -> Int {
            var j = skipBlanks(i + 9)
            if j < n && isNameStart(p[j]) {
                while j < n && isNameChar(p[j]) { j += 1 }
                // A name going on in non-ASCII letters may hide a keyword from us, not show one.
                if j < n && p[j] >= 0x80 { return end(after: find(UInt8(ascii: ">"), from: j)) }
            }
            j = skipBlanks(j)
            let isSystem = matchesIgnoringCase(j, "system"), isPublic = matchesIgnoringCase(j, "public")
            if isSystem || isPublic {
                j = skipBlanks(j + 6)
                j = literal(j)
                if isPublic {
                    j = skipBlanks(j)
                    j = literal(j)
                }
            }
            return end(after: find(UInt8(ascii: ">"), from: j))
        }

        /// A quoted literal at `j` (to its closing quote), or `j` when none starts there.
        private func literal(_ j: Int) -> Int {
            guard j < n, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") else { return j }
            return end(after: find(p[j], from: j + 1))
        }

        // MARK: - Bytes

        private mutating func count(_ nodes: Int) throws(HTMLError) {
            plan.nodes += nodes
            if plan.nodes > limits.nodes { throw .tooManyNodes(limit: limits.nodes) }
        }

        @inline(__always) private func at(_ i: Int) -> UInt8 { i < n ? p[i] : 0 }

        /// The index after `i`, or the end of the input when there is no `i`.
        @inline(__always) private func end(after i: Int?) -> Int { i.map { $0 + 1 } ?? n }

        @inline(__always) private func find(_ byte: UInt8, from i: Int) -> Int? {
            guard i < n, let hit = memchr(p + i, Int32(byte), n - i) else { return nil }
            return p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }

        private func skipBlanks(_ i: Int) -> Int {
            var j = i
            while j < n && isBlank(p[j]) { j += 1 }
            return j
        }

        /// True when the bytes at `i` spell `lowercase` (ASCII letters) in any case.
        private func matchesIgnoringCase(_ i: Int, _ lowercase: String) -> Bool {
            var k = i
            for b in lowercase.utf8 {
                guard k < n, p[k] | 0x20 == b else { return false }
                k += 1
            }
            return true
        }

        private func matchesIgnoringCase(_ i: Int, _ lowercase: [UInt8]) -> Bool {
            guard i + lowercase.count <= n else { return false }
            for (k, b) in lowercase.enumerated() where p[i + k] | 0x20 != b { return false }
            return true
        }

        private func matchesIgnoringCase(_ i: Int, _ name: Range<Int>) -> Bool {
            guard i + name.count <= n else { return false }
            for (k, m) in name.enumerated() where p[i + k] | 0x20 != p[m] | 0x20 { return false }
            return true
        }

        @inline(__always) private func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
        @inline(__always) private func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
        /// ASCII letters, '_' and ':' (libxml2 also takes '.' to start an attribute or end-tag name).
        @inline(__always) private func isNameStart(_ c: UInt8) -> Bool {
            isLetter(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
        }
        @inline(__always) private func isNameChar(_ c: UInt8) -> Bool {
            isLetter(c) || (c >= 48 && c <= 57) || c == UInt8(ascii: ":") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
        }
    }
}
