import Foundation

/// Writes an `Article` as pretty-printed JSON with sorted keys, byte by byte: Foundation's
/// `JSONEncoder` spent more time escaping an article's text than the cleaner took to find it.
/// The output decodes with `JSONDecoder` into the same `Article` (see `ArticleJSONWriterTests`).
struct ArticleJSONWriter {
    private var out: [UInt8] = []

    static func data(_ a: Article) -> Data {
        var w = ArticleJSONWriter()
        w.out.reserveCapacity(a.text.utf8.count + (a.markdown?.utf8.count ?? 0) + 1024)
        w.byte(UInt8(ascii: "{"))
        var first = true
        func key(_ name: String) {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.raw("\n  ")
            w.string(name)
            w.raw(" : ")
        }
        // Keys in sorted order; optional HTTP facts, comments, contentSource, duplicateOf and error only when set.
        key("author"); w.optional(a.author)
        key("authors"); w.list(a.authors)
        key("canonicalUrl"); w.optional(a.canonicalUrl)
        if let c = a.comments { key("comments"); w.comments(c) }
        if let c = a.contentSource { key("contentSource"); w.string(c.rawValue) }
        key("description"); w.optional(a.description)
        key("descriptionSource"); w.optional(a.descriptionSource?.rawValue)
        if let d = a.duplicateOf { key("duplicateOf"); w.string(d) }
        if let e = a.error { key("error"); w.string(e) }
        if let f = a.fetchedAt { key("fetchedAt"); w.string(f) }
        key("fingerprint"); w.string(a.fingerprint)
        if let h = a.http {
            key("http")
            w.byte(UInt8(ascii: "{"))
            // Like the synthesized Codable conformance: absent facts are left out.
            for (name, value) in [("charset", h.charset), ("contentType", h.contentType), ("finalUrl", h.finalUrl)] {
                if let value { w.raw("\n    \"\(name)\" : "); w.string(value); w.byte(UInt8(ascii: ",")) }
            }
            w.raw("\n    \"status\" : "); w.raw(String(h.status))
            w.raw("\n  }")
        }
        key("id"); w.string(a.id)
        key("image"); w.optional(a.image)
        key("language"); w.optional(a.language)
        key("markdown"); w.optional(a.markdown)
        key("modified"); w.optional(a.modified)
        key("published"); w.optional(a.published)
        key("siteName"); w.optional(a.siteName)
        key("tags"); w.list(a.tags)
        key("text"); w.string(a.text)
        key("title"); w.string(a.title)
        key("url"); w.optional(a.url)
        key("wordCount"); w.raw(String(a.wordCount))
        w.raw("\n}")
        return Data(w.out)
    }

    private mutating func byte(_ b: UInt8) { out.append(b) }

    /// An array of strings, one per line (`[]` when empty).
    private mutating func list(_ items: [String]) {
        if items.isEmpty { raw("[]"); return }
        byte(UInt8(ascii: "["))
        for (k, item) in items.enumerated() {
            raw(k == 0 ? "\n    " : ",\n    ")
            string(item)
        }
        raw("\n  ]")
    }

    /// The comments as an array of objects, absent author and date left out (`[]` when empty).
    private mutating func comments(_ items: [Article.Comment]) {
        if items.isEmpty { raw("[]"); return }
        byte(UInt8(ascii: "["))
        for (k, c) in items.enumerated() {
            raw(k == 0 ? "\n    {" : ",\n    {")
            if let author = c.author { raw("\n      \"author\" : "); string(author); byte(UInt8(ascii: ",")) }
            if let published = c.published { raw("\n      \"published\" : "); string(published); byte(UInt8(ascii: ",")) }
            raw("\n      \"text\" : "); string(c.text)
            raw("\n    }")
        }
        raw("\n  ]")
    }

    private mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }

    private mutating func optional(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest copied in runs.
    private mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch b {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
