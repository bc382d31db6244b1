import DecantHTML
extension Node {
    /// The first `limit` bytes (or a little less, at a character boundary) of the element's
    /// text, without the text of scripts and styles.
    func boundedText(_ limit: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, 256))
        var cur = firstChild
        while let n = cur, out.count < limit {
            if n.isText, let c = n.contentBytes {
                var k = 0
                while c[k] != 0, out.count < limit { out.append(c[k]); k += 1 }
            }
            if n.isElement, n.tag != .script, n.tag != .style, let child = n.firstChild { cur = child; continue }
            cur = n.nextInPreorder(within: self)
        }
        if out.count >= limit {
            while let last = out.last, last & 0xC0 == 0x80 { out.removeLast() }  // continuation bytes
            if let last = out.last, last >= 0xC0 { out.removeLast() }  // a lead byte without its tail
        }
        return String(decoding: out, as: UTF8.self)
    }
}
