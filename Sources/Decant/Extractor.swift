import Foundation

/// Turns one HTML page into an `Article`: parse (any encoding), read metadata, clean, normalise.
public struct Extractor: Sendable {
    public var options: CleanConfig

    public init(options: CleanConfig = CleanConfig()) {
        self.options = options
    }

    /// Extracts the article of `html`; `url` resolves relative links, `declaredCharset` is the HTTP
    /// charset, and no date after `now` is plausible. A page without an article throws
    /// `.noContent` with its metadata.
    public func extract(_ html: Data, url: String? = nil, declaredCharset: String? = nil,
                        now: Date = Date()) throws(ExtractError) -> Article {
        let doc = try HTMLDocument(bytes: html, declaredCharset: declaredCharset, url: url,
                                   maxBytes: options.maxPageBytes)
        let (article, found) = extract(doc, pageURL: url, now: now)
        if !found { throw .noContent(metadata: article) }
        return article
    }

    /// The article, and whether the cleaner found one (else the article holds the metadata alone).
    func extract(_ doc: HTMLDocument, pageURL: String?, now: Date) -> (Article, found: Bool) {
        let metadata = MetadataReader.read(doc, pageURL: pageURL, now: now)
        let blocks = Cleaner(options: options).clean(doc, metadata: metadata, pageURL: pageURL)
        var article = ArticleAssembler.assemble(metadata: metadata, blocks: blocks, pageURL: pageURL)
        if blocks.isEmpty { article.error = ExtractError.noContentMessage }
        return (article, !blocks.isEmpty)
    }
}

extension Extractor {
    /// Extracts the article of a fetched page, filling `fetchedAt` and `http` (with the charset
    /// decided); dates after the fetch are not plausible.
    public func extract(page: FetchedPage) throws(ExtractError) -> Article {
        let doc = try HTMLDocument(bytes: page.body, declaredCharset: page.declaredCharset, url: page.finalURL,
                                   maxBytes: options.maxPageBytes)
        let (extracted, found) = extract(doc, pageURL: page.finalURL, now: page.fetchedAt)
        var article = extracted
        article.url = page.url
        article.id = Fingerprint.articleID(canonicalURL: article.canonicalUrl, url: page.url,
                                           fingerprint: article.fingerprint)
        article.fetchedAt = page.fetchedAt.formatted(.iso8601)
        article.http = Article.HTTPInfo(status: page.status, contentType: page.contentType,
                                        charset: doc.charset.name, finalUrl: page.finalURL)
        if !found { throw .noContent(metadata: article) }
        return article
    }
}

extension Extractor {
    /// Explains the cleaner's choices for a page (candidates, chosen roots, removed blocks).
    public func explain(_ html: Data, url: String? = nil) throws(ExtractError) -> String {
        let doc = try HTMLDocument(bytes: html, url: url, maxBytes: options.maxPageBytes)
        let metadata = MetadataReader.read(doc, pageURL: url)
        return "charset \(doc.charset)\n" + Cleaner(options: options).explain(doc, metadata: metadata)
    }
}
