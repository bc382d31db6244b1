import Foundation
import DecantCore

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
    /// Ends every queued and running transfer (their fetches return deferred); a stand-in may do nothing.
    func shutdown()
}

extension PageFetching {
    public func shutdown() {}
}
