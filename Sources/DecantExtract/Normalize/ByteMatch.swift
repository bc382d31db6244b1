/// Substring tests on raw UTF-8 bytes (ASCII letters compared without case), for the scans that
/// run on every element or date: Foundation's `contains`/`range(of:)` cost more than the walk.
enum ByteMatch {
    /// Lower-case needles bucketed by their first byte: one pass over the text finds any of them.
    struct Needles: Sendable {
        private var buckets: [[[UInt8]]] = Array(repeating: [], count: 256)

        init(_ words: [String]) {
            for w in words {
                let b = Array(w.lowercased().utf8)
                if let f = b.first { buckets[Int(f)].append(b) }
            }
        }

        /// Whether any needle occurs in `hay`, ASCII letters of `hay` compared without case.
        func occur(in hay: UnsafeBufferPointer<UInt8>) -> Bool {
            let n = hay.count
            var i = 0
            while i < n {
                let c = hay[i]
                let bucket = buckets[Int(c >= 65 && c <= 90 ? c | 0x20 : c)]
                if !bucket.isEmpty {
                    for needle in bucket where i + needle.count <= n {
                        var k = 1
                        while k < needle.count {
                            let d = hay[i + k]
                            if (d >= 65 && d <= 90 ? d | 0x20 : d) != needle[k] { break }
                            k += 1
                        }
                        if k == needle.count { return true }
                    }
                }
                i += 1
            }
            return false
        }

        func occur(in s: String) -> Bool {
            var s = s
            return s.withUTF8 { occur(in: $0) }
        }
    }

    /// The words as lower-case bytes, ready for `lastIndex`.
    static func needles(_ words: [String]) -> [[UInt8]] {
        words.map { Array($0.lowercased().utf8) }
    }

    /// The start of the last occurrence of `needle` ending at or before `end`.
    static func lastIndex(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], before end: Int) -> Int? {
        let n = needle.count
        guard n > 0, end >= n, end <= hay.count else { return nil }
        var i = end - n
        while i >= 0 {
            var k = 0
            while k < n {
                let c = hay[i + k]
                if (c >= 65 && c <= 90 ? c | 0x20 : c) != needle[k] { break }
                k += 1
            }
            if k == n { return i }
            i -= 1
        }
        return nil
    }

    /// Whether the string holds `needle` exactly (bytes).
    static func has(_ s: String, _ needle: String) -> Bool {
        var s = s
        let n = Array(needle.utf8)
        return s.withUTF8 { hay in
            guard n.count <= hay.count, let first = n.first else { return n.isEmpty }
            var i = 0
            while i + n.count <= hay.count {
                if hay[i] == first {
                    var k = 1
                    while k < n.count, hay[i + k] == n[k] { k += 1 }
                    if k == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
