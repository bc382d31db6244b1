/// Small string helpers shared by the normalizer (no Foundation calls on hot paths).
extension StringProtocol {
    /// The string without leading and trailing whitespace (no Foundation call).
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}

extension String {
    /// Runs of whitespace folded to single spaces, ends trimmed.
    var collapsedWhitespace: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var space = false
        for ch in self {
            if ch.isWhitespace {
                space = !out.isEmpty
            } else {
                if space { out.append(" "); space = false }
                out.append(ch)
            }
        }
        return out
    }
}
