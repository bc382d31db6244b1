/// Normalised short texts for matching against pattern lists: lower-case, letters, digits and
/// single spaces only (so "Related Articles:" and "related  articles" compare equal).
enum TextKey {
    static func make(_ s: String, limit: Int = 200) -> String {
        var out = ""
        out.reserveCapacity(min(s.utf8.count, limit))
        var space = false
        for ch in s.lowercased().unicodeScalars {
            if out.unicodeScalars.count >= limit { break }
            if ch.properties.isAlphabetic || ch.properties.numericType != nil {
                if space && !out.isEmpty { out.unicodeScalars.append(" ") }
                space = false
                out.unicodeScalars.append(ch)
            } else if ch == "'" || ch == "’" {
                continue
            } else {
                space = true
            }
        }
        return out
    }
}
