extension String {
    /// The first characters of this string that fit in `bytes` UTF-8 bytes.
    package func prefix(utf8Bytes bytes: Int) -> String {
        var out = ""
        for ch in self {
            if out.utf8.count + ch.utf8.count > bytes { break }
            out.append(ch)
        }
        return out
    }
}
