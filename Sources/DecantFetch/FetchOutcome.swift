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

/// What became of one URL: fetched, not modified, deferred to a later time, or failed for good.
public enum FetchOutcome: Sendable, Equatable {
    case fetched(FetchedPage)
    /// The server answered 304 to a conditional request.
    case notModified(url: String, finalURL: String)
    /// A temporary failure: try again at `retryAt` (Retry-After honoured). `status` is 0 without a response.
    case deferred(url: String, retryAt: Date, status: Int, reason: String)
    /// A permanent failure with a reason a person can read.
    case failed(url: String, status: Int, reason: String)

    public var url: String {
        switch self {
        case .fetched(let p): p.url
        case .notModified(let u, _), .deferred(let u, _, _, _), .failed(let u, _, _): u
        }
    }
}

/// Anything that turns a URL into a `FetchOutcome`: the libcurl `Fetcher`, or a stand-in in tests.
public protocol PageFetching: Sendable {
    /// Fetches one URL, obeying the fetcher's politeness rules; never throws, every end is an outcome.
    func fetch(_ url: String) async -> FetchOutcome
}
