import Foundation

/// A page as the fetcher received it: the bytes and what HTTP said about them.
public struct FetchedPage: Sendable, Equatable {
    /// The URL that was asked for.
    public var url: String
    /// The URL after redirects.
    public var finalURL: String
    /// Every URL in the redirect chain after the first, in order.
    public var redirects: [String]
    public var status: Int
    /// Response headers of the final response, names lower-cased, in order.
    public var headers: [(name: String, value: String)]
    /// The media type without parameters (`text/html`), if sent.
    public var contentType: String?
    /// The charset the server declared in Content-Type, if any.
    public var declaredCharset: String?
    /// The decoded (decompressed) body.
    public var body: Data
    public var etag: String?
    public var lastModified: String?
    public var fetchedAt: Date

    public init(url: String, finalURL: String, redirects: [String] = [], status: Int,
                headers: [(name: String, value: String)] = [], contentType: String?,
                declaredCharset: String?, body: Data, etag: String? = nil, lastModified: String? = nil,
                fetchedAt: Date = Date()) {
        self.url = url; self.finalURL = finalURL; self.redirects = redirects; self.status = status
        self.headers = headers; self.contentType = contentType; self.declaredCharset = declaredCharset
        self.body = body; self.etag = etag; self.lastModified = lastModified; self.fetchedAt = fetchedAt
    }

    public static func == (a: FetchedPage, b: FetchedPage) -> Bool {
        a.url == b.url && a.finalURL == b.finalURL && a.redirects == b.redirects && a.status == b.status
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
            && a.contentType == b.contentType && a.declaredCharset == b.declaredCharset && a.body == b.body
            && a.etag == b.etag && a.lastModified == b.lastModified && a.fetchedAt == b.fetchedAt
    }
}
