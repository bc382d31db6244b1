/// Normalised short texts for matching against pattern lists: lower-case, letters, digits and
/// single spaces only (so "Related Articles:" and "related  articles" compare equal).
enum TextKey {
    /// The key of `s`, at most `limit` scalars long; ASCII takes a fast path, other scalars use
    /// Unicode properties.
    static func make(_ s: String, limit: Int = 200) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(s.utf8.count, limit + 8))
        var space = false
        var count = 0
        for ch in s.unicodeScalars {
            if count >= limit { break }
            let v = ch.value
            if v < 0x80 {
                let b = UInt8(v)
                let isLetterOrDigit = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                if isLetterOrDigit {
                    if space && count > 0 { out.append(0x20); count += 1 }
                    space = false
                    out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                    count += 1
                } else if b != 0x27 {  // an apostrophe joins ("don't" → "dont")
                    space = true
                }
            } else if ch.properties.isAlphabetic || ch.properties.numericType != nil {
                if space && count > 0 { out.append(0x20); count += 1 }
                space = false
                out.append(contentsOf: ch.properties.lowercaseMapping.utf8)
                count += 1
            } else if v != 0x2019 {  // ’
                space = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
