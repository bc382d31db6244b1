/// Small string helpers shared by the normalizer: byte loops over UTF-8, no `Character` walks
/// (they cost more than the parse on pages with many meta tags).
extension StringProtocol {
    /// The string without leading and trailing whitespace.
    package var trimmed: String {
        var s = String(self)
        return s.withUTF8 { b in
            var start = 0, end = b.count
            while start < end, let w = Whitespace.width(b, start) { start += w }
            while end > start, let w = Whitespace.widthBefore(b, end) { end -= w }
            if start == 0 && end == b.count { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        } ?? s
    }
}

extension String {
    /// Runs of whitespace folded to single spaces, ends trimmed.
    package var collapsedWhitespace: String {
        var s = self
        return s.withUTF8 { b in
            var out: [UInt8] = []
            var space = false
            var changed = false
            var i = 0
            while i < b.count {
                if let w = Whitespace.width(b, i) {
                    if w != 1 || b[i] != 32 || space || out.isEmpty { changed = true }
                    space = true
                    i += w
                    continue
                }
                if space && !out.isEmpty { out.append(32) }
                space = false
                out.append(b[i])
                i += 1
            }
            if space { changed = true }
            return changed ? String(decoding: out, as: UTF8.self) : nil
        } ?? s
    }

    /// The byte offset of the first ASCII-case-insensitive occurrence of `needle` (ASCII), if any.
    package func asciiCaseInsensitiveOffset(of needle: String) -> Int? {
        let hay = Array(utf8), pat = Array(needle.utf8).map(Whitespace.lowerASCII)
        guard !pat.isEmpty, hay.count >= pat.count else { return nil }
        outer: for i in 0...(hay.count - pat.count) {
            for k in 0..<pat.count where Whitespace.lowerASCII(hay[i + k]) != pat[k] { continue outer }
            return i
        }
        return nil
    }

    /// The text before and after a byte offset range (offsets from `asciiCaseInsensitiveOffset`).
    package func utf8Split(at offset: Int, length: Int) -> (before: String, after: String) {
        let b = Array(utf8)
        return (String(decoding: b[..<offset], as: UTF8.self), String(decoding: b[(offset + length)...], as: UTF8.self))
    }
}

/// Whitespace in UTF-8: ASCII spaces, NEL, NBSP and the Unicode space separators.
package enum Whitespace {
    /// The byte length of the whitespace character starting at `i`, nil when it is not one.
    @inline(__always)
    package static func width(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let c = b[i]
        if c < 0x80 { return c == 32 || (c >= 9 && c <= 13) ? 1 : nil }
        if c == 0xC2, i + 1 < b.count { return b[i + 1] == 0x85 || b[i + 1] == 0xA0 ? 2 : nil }
        if c == 0xE2, i + 2 < b.count {
            let d = b[i + 1], e = b[i + 2]
            return (d == 0x80 && (e <= 0x8A || e == 0xA8 || e == 0xA9 || e == 0xAF)) || (d == 0x81 && e == 0x9F) ? 3 : nil
        }
        if c == 0xE3, i + 2 < b.count { return b[i + 1] == 0x80 && b[i + 2] == 0x80 ? 3 : nil }
        if c == 0xE1, i + 2 < b.count { return b[i + 1] == 0x9A && b[i + 2] == 0x80 ? 3 : nil }
        return nil
    }

    /// The byte length of a whitespace character ending just before `end`, nil when there is none.
    @inline(__always)
    package static func widthBefore(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Int? {
        if end >= 1, b[end - 1] < 0x80 { return width(b, end - 1) }
        if end >= 2, width(b, end - 2) == 2 { return 2 }
        if end >= 3, width(b, end - 3) == 3 { return 3 }
        return nil
    }

    @inline(__always)
    package static func lowerASCII(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
}
