import Foundation
import DecantCore

/// A cleaned, structured article: the value every output (JSON, markdown, text) is made from.
public struct Article: Sendable, Equatable, Codable {
    /// Stable hash of the canonical URL (or of the URL, or of the text when there is none).
    public var id: String
    public var url: String?
    public var canonicalUrl: String?
    public var title: String
    /// The authors joined by ", ".
    public var author: String?
    /// Each author's name, in the page's order.
    public var authors: [String]
    /// ISO 8601: the page's own local date, with the time and offset when the page states both.
    public var published: String?
    public var modified: String?
    public var siteName: String?
    public var description: String?
    /// Where the description comes from: the page's metadata, or its first paragraph.
    public var descriptionSource: DescriptionSource?
    /// BCP 47 language tag, such as `en` or `de-AT`.
    public var language: String?
    public var image: String?
    public var tags: [String]
    /// Plain text: paragraphs and headings separated by blank lines.
    public var text: String
    public var markdown: String?
    public var wordCount: Int
    /// Hash of the normalised text, equal for pages with the same article text.
    public var fingerprint: String
    /// When the page was fetched (absent for `extract` of a file).
    public var fetchedAt: String?
    /// HTTP facts of the fetch (absent for `extract` of a file).
    public var http: HTTPInfo?
    /// The id of an earlier article with the same fingerprint, when this one is a duplicate.
    public var duplicateOf: String?
    /// Why there is no text (the page's metadata only), when the cleaner found no article.
    public var error: String?
    /// Where the text comes from when not from the page's HTML: JSON-LD `articleBody` or a
    /// script's embedded data (pages whose body is rendered by JavaScript); nil for HTML.
    public var contentSource: ContentSource?
    /// Reader comments the cleaner removed from the page, in page order (`clean.keepComments`);
    /// nil when off or when the page has none, never an empty array. Never part of `text`.
    public var comments: [Comment]?
    /// The feed a job line named as this article's source (`sourceFeed` of a JSONL job line); nil otherwise.
    public var sourceFeed: String?
    /// The id of the feed entry this article came from, when the job line's hints gave one.
    public var sourceEntryId: String?

    /// One reader comment: who wrote it and when, if the page marks them, and its plain text.
    public struct Comment: Sendable, Equatable, Codable {
        public var author: String?
        /// ISO 8601, like `published`.
        public var published: String?
        /// Plain text: paragraphs separated by blank lines.
        public var text: String

        public init(author: String? = nil, published: String? = nil, text: String) {
            self.author = author
            self.published = published
            self.text = text
        }
    }

    /// Where an article's text was found, when not in the HTML.
    public enum ContentSource: String, Sendable, Codable {
        /// JSON-LD `articleBody`.
        case jsonLD = "json-ld"
        /// Data a script embeds for the page's JavaScript (`__NEXT_DATA__`, Nuxt, initial state).
        case embeddedData = "embedded-data"
    }

    /// Where a description comes from.
    public enum DescriptionSource: String, Sendable, Codable {
        /// JSON-LD, OpenGraph, Twitter, Dublin Core or `<meta name=description>`.
        case meta
        /// The article's first paragraph (the page declares no description).
        case text
    }

    /// HTTP facts about how an article was fetched.
    public struct HTTPInfo: Sendable, Equatable, Codable {
        public var status: Int
        public var contentType: String?
        public var charset: String?
        public var finalUrl: String?

        public init(status: Int, contentType: String?, charset: String?, finalUrl: String?) {
            self.status = status
            self.contentType = contentType
            self.charset = charset
            self.finalUrl = finalUrl
        }
    }

    public init(id: String, url: String?, canonicalUrl: String?, title: String, author: String?,
                authors: [String]? = nil, published: String?, modified: String?, siteName: String?,
                description: String?, descriptionSource: DescriptionSource? = nil,
                language: String?, image: String?, tags: [String], text: String, markdown: String?,
                wordCount: Int, fingerprint: String, fetchedAt: String? = nil, http: HTTPInfo? = nil,
                duplicateOf: String? = nil, error: String? = nil) {
        self.id = id; self.url = url; self.canonicalUrl = canonicalUrl; self.title = title
        self.author = author; self.authors = authors ?? author.map { [$0] } ?? []
        self.published = published; self.modified = modified
        self.siteName = siteName; self.description = description
        self.descriptionSource = descriptionSource ?? (description == nil ? nil : .meta)
        self.language = language
        self.image = image; self.tags = tags; self.text = text; self.markdown = markdown
        self.wordCount = wordCount; self.fingerprint = fingerprint; self.fetchedAt = fetchedAt
        self.http = http; self.duplicateOf = duplicateOf; self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id, url, canonicalUrl, title, author, authors, published, modified, siteName, description
        case descriptionSource, language, image, tags, text, markdown, wordCount, fingerprint, fetchedAt, http
        case duplicateOf, error, contentSource, comments, sourceFeed, sourceEntryId
    }

    /// What the article's `.md` holds: its markdown (or text), then its comments, if any, after a
    /// rule and a `## Comments` heading.
    public var markdownDocument: String {
        let body = markdown ?? text
        guard let comments, !comments.isEmpty else { return body }
        return body + "\n\n" + MarkdownRenderer.comments(comments)
    }

    /// The article as pretty-printed JSON (UTF-8, slashes unescaped, keys in a fixed order).
    public func jsonData() -> Data {
        ArticleJSONWriter.data(self)
    }
}

/// Inside another record (a failed URL's `metadata`), an article is written by `ArticleJSONWriter` too.
extension Article: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { ArticleJSONWriter.write(self, to: &writer) }
}
