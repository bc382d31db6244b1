import Foundation
import DecantCore

/// What became of one URL: fetched, not modified, deferred to a later time, or failed for good.
public enum FetchOutcome: Sendable, Equatable {
    case fetched(FetchedPage)
    /// The server answered 304 to a conditional request.
    case notModified(url: String, finalURL: String)
    /// A temporary failure: try again at `retryAt` (Retry-After honoured), after `attempts` tries in this fetch.
    case deferred(url: String, retryAt: Date, failure: FetchFailure, attempts: Int = 1)
    /// A permanent failure.
    case failed(url: String, failure: FetchFailure)

    public var url: String {
        switch self {
        case .fetched(let p): p.url
        case .notModified(let u, _), .deferred(let u, _, _, _), .failed(let u, _): u
        }
    }

    /// Why the URL was deferred or failed; nil when it was fetched (or not modified).
    public var failure: FetchFailure? {
        switch self {
        case .fetched, .notModified: nil
        case .deferred(_, _, let failure, _), .failed(_, let failure): failure
        }
    }

    /// The HTTP status: the page's, 304, or the failure's (0 when there was no response).
    public var status: Int {
        switch self {
        case .fetched(let page): page.status
        case .notModified: 304
        case .deferred(_, _, let failure, _), .failed(_, let failure): failure.status
        }
    }

    /// The failure as a person reads it, with the number of tries when there were several; empty
    /// when the URL was fetched.
    public var reason: String {
        switch self {
        case .fetched, .notModified: ""
        case .deferred(_, _, let failure, let attempts):
            failure.description + (attempts > 1 ? " (after \(attempts) attempts)" : "")
        case .failed(_, let failure): failure.description
        }
    }
}

/// Anything that turns a URL into a `FetchOutcome`: the libcurl `Fetcher`, or a stand-in in tests.
public protocol PageFetching: Sendable {
    /// Fetches one URL, obeying the fetcher's politeness rules; never throws, every end is an outcome.
    func fetch(_ url: String) async -> FetchOutcome
    /// Fetches a feed or sitemap: any content type is a page, and `validators` (not the store's)
    /// make the request conditional; the store is neither read nor written.
    func fetchSource(_ url: String, validators: ValidatorStore.Validators?) async -> FetchOutcome
    /// Fetches a job's URL that may be a page, feed or sitemap: like `fetch`, but a body whose type
    /// may be a source (XML, JSON, plain text, opaque) is kept too (`Fetcher.unsupportedContent` says
    /// whether a page is for the cleaner).
    func fetchPageOrSource(_ url: String) async -> FetchOutcome
    /// Hands every later exchange, robots.txt included, to `recorder` as it went over the wire (nil stops).
    func record(to recorder: (any ExchangeRecorder)?)
    /// Serves fetches until `finish()` (once the fetches under way are done) or task cancellation;
    /// a stand-in that needs no thread returns at once.
    func run() async
    /// Lets `run()` return once the fetches under way are done.
    func finish()
}

extension PageFetching {
    public func fetchSource(_ url: String, validators: ValidatorStore.Validators?) async -> FetchOutcome {
        await fetch(url)
    }
    public func fetchPageOrSource(_ url: String) async -> FetchOutcome { await fetch(url) }
    public func record(to recorder: (any ExchangeRecorder)?) {}
    public func run() async {}
    public func finish() {}
}
