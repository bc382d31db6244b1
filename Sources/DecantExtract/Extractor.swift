import Foundation
import DecantCore
import DecantHTML

/// Turns one HTML page into an `Article`: parse (any encoding), read metadata, clean, normalise.
public struct Extractor: Sendable {
    public var options: CleanConfig
    /// The cleaner's thresholds (`decant-bench quality --param` sweeps them).
    package var parameters: ScoringParameters = .standard

    public init(options: CleanConfig = CleanConfig()) {
        self.options = options
    }

    /// Below this much cleaned text (UTF-8 bytes) embedded data is looked at, and it must hold at
    /// least `enoughEmbeddedText` bytes, and twice the HTML's, to be used instead.
    static let littleText = 500
    static let enoughEmbeddedText = 300

    /// Extracts the article of `html`; `url` resolves relative links, `declaredCharset` is the HTTP
    /// charset, and no date after `now` is plausible. A page without an article throws
    /// `.noContent` with its metadata.
    public func extract(_ html: Data, url: String? = nil, declaredCharset: String? = nil,
                        now: Date = Date()) throws(ExtractError) -> Article {
        try extract(html, declaredCharset: declaredCharset, pageURL: url, now: now).article
    }

    /// Parses, cleans and assembles within the time budget. The tree is freed before the article is
    /// assembled (the two are the largest parts of a page's memory).
    func extract(_ html: Data, declaredCharset: String?, pageURL: String?, now: Date) throws(ExtractError)
        -> (article: Article, charset: Charset) {
        let deadline = ExtractDeadline(seconds: options.timeBudgetSeconds)
        let (metadata, blocks, source, charset, comments) = try content(html, declaredCharset: declaredCharset,
                                                                        pageURL: pageURL, now: now, deadline: deadline)
        var article = ArticleAssembler.assemble(metadata: metadata, blocks: blocks, pageURL: pageURL)
        article.contentSource = source
        if blocks.isEmpty {
            article.error = ExtractError.noContentMessage
            throw .noContent(metadata: article)
        }
        // Text from embedded data was not rendered from the HTML: a comment it holds is no comment.
        let kept = source == nil ? comments : comments.filter { !article.text.contains($0.text) }
        article.comments = kept.isEmpty ? nil : kept
        return (article, charset)
    }

    /// Parses within the limits and the time left; `limits` is a parameter for tests.
    func parse(_ html: Data, declaredCharset: String?, url: String?, deadline: ExtractDeadline,
               limits: ExtractLimits = .standard) throws(ExtractError) -> HTMLDocument {
        do throws(HTMLError) {
            return try HTMLDocument(bytes: html, declaredCharset: declaredCharset, url: url,
                                    maxBytes: options.maxPageBytes, limits: limits, deadline: deadline)
        } catch {
            throw ExtractError(error)
        }
    }

    /// Parses, reads metadata and cleans, checking the deadline after each stage; the comments are
    /// those the cleaner left out (none without `keepComments`).
    private func content(_ html: Data, declaredCharset: String?, pageURL: String?, now: Date,
                         deadline: ExtractDeadline) throws(ExtractError)
        -> (PageMetadata, [ContentBlock], Article.ContentSource?, Charset, [Article.Comment]) {
        let doc = try parse(html, declaredCharset: declaredCharset, url: pageURL, deadline: deadline)
        var metadata = MetadataReader.read(doc, pageURL: pageURL, now: now)
        try deadline.checkExtraction(.metadata)
        let cleaner = Cleaner(options: options, parameters: parameters)
        let blocks: [ContentBlock], comments: [Article.Comment]
        if let site = options.sites.match(url: pageURL) {
            var pass = try SitePass(rule: site.rule, key: site.key, doc: doc, metadata: &metadata, deadline: deadline)
            (blocks, comments) = try Self.clean(doc, cleaner, metadata, pageURL, deadline, &pass)
        } else {
            (blocks, comments) = try cleaner.content(doc, metadata: metadata, pageURL: pageURL, deadline: deadline)
        }
        try deadline.checkExtraction(.clean)
        // A page rendered by JavaScript holds little text: its article may sit in embedded data.
        let length = blocks.reduce(0) { $0 + $1.text.utf8.count }
        if length < Self.littleText, let found = EmbeddedArticle.find(in: doc, metadata: metadata, options: options) {
            let embedded = found.blocks.reduce(0) { $0 + $1.text.utf8.count }
            if embedded >= max(Self.enoughEmbeddedText, 2 * length) {
                let source: Article.ContentSource = found.source == .jsonLD ? .jsonLD : .embeddedData
                return (metadata, found.blocks, source, doc.charset, comments)
            }
        }
        return (metadata, blocks, nil, doc.charset, comments)
    }
}

extension Extractor {
    /// Extracts the article of a fetched page, filling `fetchedAt` and `http` (with the charset
    /// decided); dates after the fetch are not plausible.
    public func extract(page: FetchedPage) throws(ExtractError) -> Article {
        var article: Article
        let charset: Charset
        do {
            (article, charset) = try extract(page.body, declaredCharset: page.declaredCharset,
                                             pageURL: page.finalURL, now: page.fetchedAt)
        } catch .noContent(var metadata) {
            metadata.url = page.url
            metadata.id = ArticleID.of(url: page.finalURL)
            metadata.fetchedAt = page.fetchedAt.formatted(.iso8601)
            metadata.http = Article.HTTPInfo(status: page.status, contentType: page.contentType, charset: nil,
                                             finalUrl: page.finalURL)
            throw .noContent(metadata: metadata)
        }
        article.url = page.url
        article.id = ArticleID.of(url: page.finalURL)
        article.fetchedAt = page.fetchedAt.formatted(.iso8601)
        article.http = Article.HTTPInfo(status: page.status, contentType: page.contentType,
                                        charset: charset.name, finalUrl: page.finalURL)
        return article
    }
}

extension Extractor {
    /// Cleans with a site rule's content elements, or generically when they give no text (noted in `pass`).
    private static func clean(_ doc: HTMLDocument, _ cleaner: Cleaner, _ metadata: PageMetadata, _ pageURL: String?,
                              _ deadline: ExtractDeadline, _ pass: inout SitePass) throws(ExtractError)
        -> (blocks: [ContentBlock], comments: [Article.Comment]) {
        if let roots = pass.contentRoots {
            let found = try cleaner.content(doc, metadata: metadata, pageURL: pageURL, deadline: deadline, contentRoots: roots)
            if !found.blocks.isEmpty { return found }
            pass.contentGaveNoText()
        }
        return try cleaner.content(doc, metadata: metadata, pageURL: pageURL, deadline: deadline)
    }

    /// Explains the cleaner's choices for a page (site rule, candidates, chosen roots, removed blocks).
    public func explain(_ html: Data, url: String? = nil) throws(ExtractError) -> String {
        let deadline = ExtractDeadline(seconds: options.timeBudgetSeconds)
        let doc = try parse(html, declaredCharset: nil, url: url, deadline: deadline)
        var metadata = MetadataReader.read(doc, pageURL: url)
        let cleaner = Cleaner(options: options, parameters: parameters)
        var out = "charset \(doc.charset)\n"
        var roots: [Node]?
        if let site = options.sites.match(url: url) {
            var pass = try SitePass(rule: site.rule, key: site.key, doc: doc, metadata: &metadata, deadline: deadline)
            _ = try Self.clean(doc, cleaner, metadata, url, deadline, &pass)
            roots = pass.contentRoots
            out += "site rule \(site.key):\n" + pass.notes.map { "  \($0)\n" }.joined()
        } else if !options.sites.isEmpty {
            out += "site rule: none for this page's host\n"
        }
        return out + cleaner.explain(doc, metadata: metadata, contentRoots: roots)
    }
}
