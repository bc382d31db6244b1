import DecantCore
import Foundation

/// Writes an `Article` through `JSONWriter`, pretty-printed with sorted keys: Foundation's
/// `JSONEncoder` spent more time escaping an article's text than the cleaner took to find it.
/// The output decodes with `JSONDecoder` into the same `Article` (see `ArticleJSONWriterTests`).
enum ArticleJSONWriter {
    static func data(_ a: Article) -> Data {
        var w = JSONWriter(style: .pretty, capacity: a.text.utf8.count + (a.markdown?.utf8.count ?? 0) + 1024)
        write(a, to: &w)
        return w.data
    }

    /// Writes every SPEC field, absent values as null; `fetchedAt`, `http`, `duplicateOf`, `error`,
    /// `contentSource`, `comments`, `sourceEntryId` and `sourceFeed` only when set.
    static func write(_ a: Article, to w: inout JSONWriter) {
        w.beginObject()
        func key(_ name: String) { w.key(name) }
        // Keys in sorted order; optional HTTP facts, comments, contentSource, duplicateOf and error only when set.
        key("author"); w.optional(a.author)
        key("authors"); w.list(a.authors)
        key("canonicalUrl"); w.optional(a.canonicalUrl)
        if let c = a.comments { key("comments"); comments(c, to: &w) }
        if let c = a.contentSource { key("contentSource"); w.string(c.rawValue) }
        key("description"); w.optional(a.description)
        key("descriptionSource"); w.optional(a.descriptionSource?.rawValue)
        if let d = a.duplicateOf { key("duplicateOf"); w.string(d) }
        if let e = a.error { key("error"); w.string(e) }
        if let f = a.fetchedAt { key("fetchedAt"); w.string(f) }
        key("fingerprint"); w.string(a.fingerprint)
        if let h = a.http {
            key("http")
            w.beginObject()
            // Like the synthesized Codable conformance: absent facts are left out.
            for (name, value) in [("charset", h.charset), ("contentType", h.contentType), ("finalUrl", h.finalUrl)] {
                if let value { w.key(name); w.string(value) }
            }
            w.key("status"); w.int(h.status)
            w.endObject()
        }
        key("id"); w.string(a.id)
        key("image"); w.optional(a.image)
        key("language"); w.optional(a.language)
        key("markdown"); w.optional(a.markdown)
        key("modified"); w.optional(a.modified)
        key("published"); w.optional(a.published)
        key("siteName"); w.optional(a.siteName)
        if let e = a.sourceEntryId { key("sourceEntryId"); w.string(e) }
        if let f = a.sourceFeed { key("sourceFeed"); w.string(f) }
        key("tags"); w.list(a.tags)
        key("text"); w.string(a.text)
        key("title"); w.string(a.title)
        key("url"); w.optional(a.url)
        key("wordCount"); w.int(a.wordCount)
        w.endObject()
    }

    /// The comments as an array of objects, absent author and date left out.
    private static func comments(_ items: [Article.Comment], to w: inout JSONWriter) {
        w.beginArray()
        for c in items {
            w.beginObject()
            if let author = c.author { w.key("author"); w.string(author) }
            if let published = c.published { w.key("published"); w.string(published) }
            w.key("text"); w.string(c.text)
            w.endObject()
        }
        w.endArray()
    }
}
