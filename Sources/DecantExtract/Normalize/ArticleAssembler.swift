import DecantCore
/// Builds the `Article` from the page's metadata and its content blocks: cleans the title,
/// renders text and markdown, counts words, and computes the fingerprint and id.
enum ArticleAssembler {
    /// Assembles every field; `pageURL` is the page's own URL, if known. Without blocks, the
    /// article carries the metadata alone (empty text, no markdown).
    static func assemble(metadata: PageMetadata, blocks: [ContentBlock], pageURL: String?) -> Article {
        let text = TextRenderer.render(blocks)
        let title = title(metadata: metadata, blocks: blocks, pageURL: pageURL, text: text)
        let fingerprint = Fingerprint.of(text: text)
        let id = ArticleID.of(url: pageURL, fingerprint: fingerprint)
        var description = metadata.description
        var source: Article.DescriptionSource? = description == nil ? nil : .meta
        if description == nil, let lead = leadParagraph(blocks) {
            description = lead
            source = .text
        }
        return Article(
            id: id, url: pageURL, canonicalUrl: metadata.canonicalURL, title: title,
            author: metadata.author, authors: metadata.authors, published: metadata.published,
            modified: metadata.modified, siteName: metadata.siteName, description: description,
            descriptionSource: source, language: metadata.language,
            image: metadata.image, tags: dedupe(metadata.tags), text: text,
            markdown: blocks.isEmpty ? nil : MarkdownRenderer.render(blocks, title: title),
            wordCount: WordCounter.count(text), fingerprint: fingerprint)
    }

    /// The longest a description taken from the text gets (cut at a word, with "…").
    static let maxLeadCharacters = 500

    /// The article's first paragraph of some length (else its first paragraph, else its first
    /// block that is not a heading), as a description.
    static func leadParagraph(_ blocks: [ContentBlock]) -> String? {
        var firstParagraph: String?, firstBlock: String?
        for block in blocks {
            let t = block.text.collapsedWhitespace
            if t.isEmpty { continue }
            switch block.kind {
            case .paragraph:
                if t.split(separator: " ").count >= 8 { return leadingWords(of: t, limit: maxLeadCharacters) }
                if firstParagraph == nil { firstParagraph = t }
            case .listItem, .quote:
                if firstBlock == nil { firstBlock = t }
            default:
                continue
            }
        }
        return (firstParagraph ?? firstBlock).map { leadingWords(of: $0, limit: maxLeadCharacters) }
    }

    /// The title as declared, else the `<title>` or `<h1>` cleaned of site names; never empty while
    /// the page has a heading or any text.
    static func title(metadata: PageMetadata, blocks: [ContentBlock], pageURL: String?, text: String) -> String {
        let host = pageURL.flatMap { URLResolver.host(of: $0) }
        let cleaned = metadata.titleIsDeclared
            ? (metadata.title?.collapsedWhitespace ?? "")
            : TitleCleaner.clean(metadata.title, siteName: metadata.siteName, host: host, h1: metadata.h1)
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
