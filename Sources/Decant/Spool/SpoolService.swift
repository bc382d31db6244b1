import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The spool service (`decant run`): claims job files from inbox/, fetches their URLs through one
/// shared fetcher, and delivers each URL into out/, deferred/ or failed/, surviving crashes.
///
/// `run()` returns when the service stopped normally: after a graceful shutdown (SIGTERM/SIGINT
/// through the `ServiceGroup`, in-flight pages given `queue.shutdownGraceSeconds`, the rest put
/// back in the queue), or in `once` mode when nothing due is left. It throws a `SpoolError` when
/// the spool cannot be opened or locked; errors on single pages never end it.
public struct SpoolService: Service {
    /// Makes the fetcher the service shares between all URLs (a stand-in in tests).
    public typealias FetcherFactory = @Sendable (FetchConfig, ValidatorStore?) -> any PageFetching

    public struct Options: Sendable {
        /// Process what is due, then return (cron, tests).
        public var once: Bool
        /// Where SIGHUP reloads the configuration from; nil reloads nothing.
        public var reload: (@Sendable () throws -> PipelineConfig)?

        public init(once: Bool = false, reload: (@Sendable () throws -> PipelineConfig)? = nil) {
            self.once = once
            self.reload = reload
        }
    }

    let config: PipelineConfig
    let options: Options
    let logger: Logger
    let makeFetcher: FetcherFactory

    public init(config: PipelineConfig, options: Options = Options(), logger: Logger,
                makeFetcher: @escaping FetcherFactory = { Fetcher(config: $0, validators: $1) }) {
        self.config = config
        self.options = options
        self.logger = logger
        self.makeFetcher = makeFetcher
    }

    public func run() async throws {
        let runner = try SpoolRunner(config: config, options: options, logger: logger, makeFetcher: makeFetcher)
        try await runner.run()
    }
}

/// Runs blocking work (fsync, journal writes) on a Dispatch queue instead of the cooperative pool.
/// How much runs at once is bounded by the service's in-flight limit.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "decant.spool.io", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}

/// What one finished URL reports back to the loop (for the log and the counters).
struct URLReport: Sendable {
    enum Kind: Sendable { case delivered, notModified, deferred, failed, requeued, spoolError }
    var kind: Kind
    var line: String
}

/// Everything a URL task needs, as plain `Sendable` values (snapshotted from the current configuration).
struct URLContext: Sendable {
    let fetcher: any PageFetching
    let extractor: Extractor
    let journal: Journal
    let delivery: Delivery
    let backoff: Backoff
    let validators: ValidatorStore?

    /// Fetches, cleans and delivers one leased URL; every end is recorded in the journal first.
    ///
    /// Fetching and cleaning run on the task's executor; the journal writes and fsyncs run on
    /// `BlockingIO`, so that they never hold one of the few cooperative threads.
    func process(_ lease: Journal.Lease) async -> URLReport {
        let url = lease.url
        var outcome = await fetcher.fetch(url)
        if case .notModified = outcome, !(lease.articleId.map(delivery.articleExists) ?? false) {
            // The server's 304 refers to an article we do not have: ask again unconditionally.
            validators?.remember(.init(etag: nil, lastModified: nil), for: url)
            outcome = await fetcher.fetch(url)
        }
        var extracted: Result<Article, ExtractError>?
        if case .fetched(let page) = outcome {
            do {
                extracted = .success(try extractor.extract(page: page))
            } catch {
                extracted = .failure(error)
            }
        }
        let settled = extracted, final = outcome
        return await BlockingIO.run {
            do {
                return try self.record(lease, final, settled)
            } catch {
                try? self.journal.requeue(url: url)
                return URLReport(kind: .spoolError, line: "spool error on \(url), returned to the queue: \(error)")
            }
        }
    }

    /// Records the outcome of one URL in the journal and the spool's folders (blocking I/O).
    private func record(_ lease: Journal.Lease, _ outcome: FetchOutcome,
                        _ extracted: Result<Article, ExtractError>?) throws(SpoolError) -> URLReport {
        let url = lease.url
        switch outcome {
        case .fetched(let page):
            var article: Article
            switch extracted {
            case .success(let a): article = a
            case .failure(let error):
                var metadata: Article?
                if case .noContent(let m) = error { metadata = m }
                return try fail(lease, attempts: lease.attempts + 1, status: page.status, error: "\(error)",
                                metadata: metadata)
            case nil:
                return try fail(lease, attempts: lease.attempts + 1, status: page.status, error: "not extracted")
            }
            article.duplicateOf = try journal.beginDelivery(url: url, articleId: article.id,
                                                            fingerprint: article.fingerprint)
            try delivery.write(article)
            try journal.delivered(url: url, status: page.status)
            delivery.removeDeferred(url: url)
            var line = "delivered \(url) -> out/\(article.id).json (\(article.wordCount) words)"
            if let original = article.duplicateOf { line += ", duplicate of \(original)" }
            return URLReport(kind: .delivered, line: line)
        case .notModified:
            guard let id = lease.articleId, delivery.articleExists(id) else {
                return try fail(lease, attempts: lease.attempts + 1, status: 304,
                                error: "HTTP 304 Not Modified to an unconditional request")
            }
            try journal.delivered(url: url, status: 304)
            delivery.removeDeferred(url: url)
            return URLReport(kind: .notModified, line: "not modified \(url), keeping out/\(id).json")
        case .deferred(_, let retryAt, let status, let reason):
            if reason == FetchFailure.cancelled.description {
                try journal.requeue(url: url)
                return URLReport(kind: .requeued, line: "returned to the queue \(url) (cancelled)")
            }
            let attempts = lease.attempts + 1
            switch backoff.decide(attempts: attempts, serverRetryAt: retryAt) {
            case .giveUp:
                return try fail(lease, attempts: attempts, status: status,
                                error: "gave up after \(attempts) attempts: \(reason)")
            case .retry(let at):
                try journal.deferred(url: url, attempts: attempts, nextTry: at, status: status, error: reason)
                let now = Date().timeIntervalSince1970
                try delivery.writeDeferred(.init(
                    url: url, status: status, error: reason, attempts: attempts,
                    firstSeen: Delivery.iso(lease.firstSeen), lastTry: Delivery.iso(now),
                    nextTry: Delivery.iso(at), failedAt: nil))
                try journal.settled(url: url)
                return URLReport(kind: .deferred, line: "deferred \(url) until \(Delivery.iso(at)) "
                                 + "(attempt \(attempts) of \(backoff.maxAttempts)): \(reason)")
            }
        case .failed(_, let status, let reason):
            return try fail(lease, attempts: lease.attempts + 1, status: status, error: reason)
        }
    }

    private func fail(_ lease: Journal.Lease, attempts: Int, status: Int, error: String,
                      metadata: Article? = nil) throws(SpoolError) -> URLReport {
        try journal.failed(url: lease.url, attempts: attempts, status: status, error: error)
        let now = Delivery.iso(Date())
        try delivery.writeFailed(.init(url: lease.url, status: status, error: error, attempts: attempts,
                                       firstSeen: Delivery.iso(lease.firstSeen), lastTry: now, nextTry: nil,
                                       failedAt: now, metadata: metadata))
        try journal.settled(url: lease.url)
        delivery.removeDeferred(url: lease.url)
        return URLReport(kind: .failed, line: "failed \(lease.url) (attempt \(attempts)): \(error)")
    }
}
