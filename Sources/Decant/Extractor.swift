import Foundation

/// Turns one HTML page into an `Article`: parse (any encoding), read metadata, clean, normalise.
public struct Extractor: Sendable {
    public var options: CleanConfig

    public init(options: CleanConfig = CleanConfig()) {
        self.options = options
    }

    /// Extracts the article of `html`; `url` resolves relative links, `declaredCharset` is the HTTP charset.
    public func extract(_ html: Data, url: String? = nil, declaredCharset: String? = nil) throws(ExtractError) -> Article {
        let doc = try HTMLDocument(bytes: html, declaredCharset: declaredCharset, url: url,
                                   maxBytes: options.maxPageBytes)
        return try extract(doc, pageURL: url)
    }

    func extract(_ doc: HTMLDocument, pageURL: String?) throws(ExtractError) -> Article {
        let metadata = MetadataReader.read(doc, pageURL: pageURL)
        let blocks = Cleaner(options: options).clean(doc, metadata: metadata, pageURL: pageURL)
        if blocks.isEmpty { throw .noContent }
        return ArticleAssembler.assemble(metadata: metadata, blocks: blocks, pageURL: pageURL)
    }
}

extension Extractor {
    /// Extracts the article of a fetched page, filling `fetchedAt` and `http` (with the charset decided).
    public func extract(page: FetchedPage) throws(ExtractError) -> Article {
        let doc = try HTMLDocument(bytes: page.body, declaredCharset: page.declaredCharset, url: page.finalURL,
                                   maxBytes: options.maxPageBytes)
        var article = try extract(doc, pageURL: page.finalURL)
        article.url = page.url
        article.id = ArticleID.of(url: page.finalURL)
        article.fetchedAt = page.fetchedAt.formatted(.iso8601)
        article.http = Article.HTTPInfo(status: page.status, contentType: page.contentType,
                                        charset: doc.charset.name, finalUrl: page.finalURL)
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
