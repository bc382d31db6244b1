/// Builds the `Article` from the page's metadata and its content blocks: cleans the title,
/// renders text and markdown, counts words, and computes the fingerprint and id.
enum ArticleAssembler {
    /// Assembles every field; `pageURL` is the page's own URL, if known.
    static func assemble(metadata: PageMetadata, blocks: [ContentBlock], pageURL: String?) -> Article {
        let text = TextRenderer.render(blocks)
        let title = title(metadata: metadata, blocks: blocks, pageURL: pageURL, text: text)
        let fingerprint = Fingerprint.of(text: text)
        let id = ArticleID.of(url: pageURL, fingerprint: fingerprint)
        return Article(
            id: id, url: pageURL, canonicalUrl: metadata.canonicalURL, title: title,
            author: metadata.author, published: metadata.published, modified: metadata.modified,
            siteName: metadata.siteName, description: metadata.description, language: metadata.language,
            image: metadata.image, tags: dedupe(metadata.tags), text: text,
            markdown: MarkdownRenderer.render(blocks, title: title),
            wordCount: WordCounter.count(text), fingerprint: fingerprint)
    }

    /// The cleaned title; never empty while the page has a heading or any text.
    static func title(metadata: PageMetadata, blocks: [ContentBlock], pageURL: String?, text: String) -> String {
        let host = pageURL.flatMap { URLResolver.host(of: $0) }
        let cleaned = TitleCleaner.clean(metadata.title, siteName: metadata.siteName, host: host, h1: metadata.h1)
        if !cleaned.isEmpty { return cleaned }
        for block in blocks {
            if case .heading = block.kind, !block.text.trimmed.isEmpty { return block.text.trimmed }
        }
        return leadingWords(of: text, limit: 80)
    }

    /// At most `limit` characters of `text`'s first line, cut at a word boundary.
    static func leadingWords(of text: String, limit: Int) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        if line.count <= limit { return line.trimmed }
        var cut = String(line.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut.trimmed + "…"
    }

    /// Tags trimmed, without empties and case-insensitive duplicates, in their first order.
    static func dedupe(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for tag in tags {
            let t = tag.collapsedWhitespace
            if t.isEmpty { continue }
            if seen.insert(t.lowercased()).inserted { out.append(t) }
        }
        return out
    }
}
