import Foundation

/// Guards libxml2 against pathological start tags: its attribute parsing is quadratic in the
/// number of attributes (100,000 attributes take tens of seconds), so a start tag longer than
/// `maxTagBytes` keeps its name and loses its attributes.
enum TagLimiter {
    static let maxTagBytes = 32 * 1024

    /// True when some `<` is followed by more than `maxTagBytes` bytes without a `>` (a cheap pre-check).
    static func needsLimiting(_ bytes: [UInt8]) -> Bool {
        let n = bytes.count
        return bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            var k = 0
            while k < n {
                // Text between tags is skipped with memchr; only tag bodies are walked.
                guard let hit = memchr(base + k, Int32(UInt8(ascii: "<")), n - k) else { return false }
                let p = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let end = min(n, p + maxTagBytes + 2)
                var j = p + 1
                while j < end && b[j] != UInt8(ascii: "<") && b[j] != UInt8(ascii: ">") { j += 1 }
                if j == p + maxTagBytes + 2 { return true }
                k = j
            }
            return false
        }
    }

    /// Rewrites over-long start tags as `<name>`.
    static func limit(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let n = bytes.count
        var i = 0
        while i < n {
            let c = bytes[i]
            guard c == UInt8(ascii: "<"), i + 1 < n, isLetter(bytes[i + 1]) else {
                out.append(c)
                i += 1
                continue
            }
            var j = i + 1
            var quote: UInt8 = 0
            while j < n && j - i <= maxTagBytes {
                let d = bytes[j]
                if quote != 0 { if d == quote { quote = 0 } }
                else if d == UInt8(ascii: "\"") || d == UInt8(ascii: "'") { quote = d }
                else if d == UInt8(ascii: ">") { break }
                j += 1
            }
            if j - i <= maxTagBytes {
                let stop = min(j + 1, n)
                out.append(contentsOf: bytes[i..<stop])
                i = stop
                continue
            }
            // Keep `<name>`, then skip to the next `>` whatever the quotes.
            var nameEnd = i + 1
            while nameEnd < n && (isLetter(bytes[nameEnd]) || (bytes[nameEnd] >= 48 && bytes[nameEnd] <= 57)) {
                nameEnd += 1
            }
            out.append(contentsOf: bytes[i..<nameEnd])
            out.append(UInt8(ascii: ">"))
            var k = j
            while k < n && bytes[k] != UInt8(ascii: ">") { k += 1 }
            i = k + 1
        }
        return out
    }

    @inline(__always) private static func isLetter(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }
}
