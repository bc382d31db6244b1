/// Builds the `Article` from metadata and content blocks. (Placeholder; replaced by the full assembler.)
enum ArticleAssembler {
    static func assemble(metadata: PageMetadata, blocks: [ContentBlock], pageURL: String?) -> Article {
        let text = blocks.filter { block in
            switch block.kind {
            case .caption, .image: false
            default: true
            }
        }.map(\.text).joined(separator: "\n\n")
        return Article(
            id: "", url: pageURL, canonicalUrl: metadata.canonicalURL, title: metadata.title ?? "",
            author: metadata.author, published: metadata.published, modified: metadata.modified,
            siteName: metadata.siteName, description: metadata.description, language: metadata.language,
            image: metadata.image, tags: metadata.tags, text: text, markdown: nil,
            wordCount: text.split(whereSeparator: \.isWhitespace).count, fingerprint: "")
    }
}
