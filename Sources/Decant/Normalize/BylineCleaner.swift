/// Turns byline text ("By Jane Doe · March 5, 2024", "Von Max Muster") into author names.
enum BylineCleaner {
    static let prefixes = [
        "written by", "posted by", "story by", "words by", "reporting by", "by", "von", "par", "por", "di",
        "door", "av", "autor:", "autorin:", "author:", "auteur:", "text:", "texto:",
    ]
    static let separators = [" | ", " · ", " • ", " — ", " – ", " - ", " / "]
    static let dateJoiners = [", ", " on ", " am ", " le ", " el ", " il ", " updated ", " published "]

    /// The names in `raw`, or nil when it does not look like a short byline.
    static func clean(_ raw: String) -> String? {
        var t = raw.collapsedWhitespace
        if t.isEmpty || t.utf8.count > 300 { return nil }
        for sep in separators {
            if let at = t.asciiCaseInsensitiveOffset(of: sep) { t = t.utf8Split(at: at, length: 0).before }
        }
        t = stripPrefix(t)
        for joiner in dateJoiners {
            if let at = t.asciiCaseInsensitiveOffset(of: joiner) {
                let (before, after) = t.utf8Split(at: at, length: joiner.utf8.count)
                if after.contains(where: \.isNumber) { t = before }
            }
        }
        while let last = t.last, ",;:|·•-–—".contains(last) || last.isWhitespace { t.removeLast() }
        t = t.trimmed
        let words = t.split(separator: " ")
        guard t.utf8.count >= 3, t.utf8.count <= 80, (1...8).contains(words.count),
              t.contains(where: \.isLetter), !t.contains(where: \.isNumber),
              !MetadataReader.looksLikeURL(t), !t.hasSuffix(".") || words.count <= 3
        else { return nil }
        return t
    }

    /// `s` without a leading "By", "Von", "Par", … (only before a space or colon: "Bynum" stays).
    static func stripPrefix(_ s: String) -> String {
        let lower = s.lowercased()
        for p in prefixes {
            guard lower.hasPrefix(p) else { continue }
            let rest = s.dropFirst(p.count)
            // "By Jane", "By: Jane", "Autor: Jane"; not "Bynum" or "Dixon".
            if p.hasSuffix(":") { return rest.trimmed }
            if let f = rest.first, f == " " || f == ":" { return rest.drop(while: { $0 == ":" || $0 == " " }).trimmed }
        }
        return s
    }
}

/// Finds "byline" (rank 3) or "author" (rank 2) in a class or id value, ignoring case;
/// 0 when absent or when the value also says "comment" (comment authors are not the byline).
enum BylineHint {
    static func rank(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if bytes.count < 6 { return 0 }
        var rank = 0
        var i = 0
        let n = bytes.count
        while i + 6 <= n {
            let c = bytes[i] | 0x20
            if c == UInt8(ascii: "a"), matches(bytes, i, "author") { rank = max(rank, 2); i += 6; continue }
            if c == UInt8(ascii: "b"), matches(bytes, i, "byline") { rank = 3; i += 6; continue }
            if c == UInt8(ascii: "c"), i + 7 <= n, matches(bytes, i, "comment") { return 0 }
            i += 1
        }
        return rank
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString) -> Bool {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        if at + w.count > bytes.count { return false }
        for k in 0..<w.count where bytes[at + k] | 0x20 != w[k] { return false }
        return true
    }
}
