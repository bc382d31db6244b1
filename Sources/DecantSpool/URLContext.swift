import Foundation
import DecantCore
import DecantExtract
import DecantFetch
import DecantSources

/// What one finished URL reports back to the loop (for the log and the counters).
struct URLReport: Sendable {
    enum Kind: Sendable { case delivered, notModified, deferred, failed, requeued, spoolError }
    var kind: Kind
    var line: String
    /// For `.spoolError`: what failed, so the loop can pause intake on a full disk.
    var error: SpoolError?
    /// A URL whose return to the queue failed too (it is still in flight in the journal).
    var unreturned: String?
}

/// Everything a URL task needs, as plain `Sendable` values (snapshotted from the current configuration).
struct URLContext: Sendable {
    let fetcher: any PageFetching
    let extractor: any PageExtracting
    let pool: ExtractionPool
    let io: SpoolIO
    let journal: Journal
    let delivery: Delivery
    let backoff: Backoff
    let validators: ValidatorStore?
    /// The delivery log and the webhook (issue 13).
    var outputs: DeliveryOutputs? = nil
    let clock: any ServiceClock
    /// Feeds and sitemaps named in jobs are expanded into job lines with these limits (`sources.*`).
    var expansion = SourceExpansion(limits: .standard)

    /// Fetches, cleans and delivers one leased URL; every end is recorded in the journal first.
    ///
    /// Fetching runs on the task's executor; cleaning on the `ExtractionPool` (a page that takes
    /// long cannot hold the cooperative threads the loop needs); journal writes and fsyncs on the
    /// spool's `SpoolIO` executor. A task cancelled at the end of the shutdown grace period returns its
    /// URL to the queue at once, even while its page is still being cleaned.
    ///
    /// A body that is a feed or sitemap (detected, or forced by the job line's `source`) is expanded
    /// instead of cleaned: its entries go into the inbox as one JSONL job file, the line's tags inherited,
    /// and the URL is delivered without an article. The line's `depth` is its sitemap nesting.
    func process(_ lease: Journal.Lease) async -> URLReport {
        let url = lease.url
        let forced = lease.options.source, depth = lease.options.depth ?? 0, tags = lease.options.tags ?? []
        let source = forced == .feed || forced == .sitemap
        var outcome = source ? await fetcher.fetchSource(url, validators: nil) : await fetcher.fetchPageOrSource(url)
        if !source, case .notModified = outcome, !(lease.articleId.map(delivery.articleExists) ?? false) {
            // The server's 304 refers to an article we do not have: ask again unconditionally.
            validators?.remember(.init(etag: nil, lastModified: nil), for: url)
            outcome = await fetcher.fetchPageOrSource(url)
        }
        var extracted: Result<Article, ExtractError>?
        var expanded: Result<SourceExpansion.Expanded, ExpansionError>?
        if case .fetched(let page) = outcome {
            let extractor = self.extractor, expansion = self.expansion
            let result = await pool.run { () -> Cleaned in
                switch expansion.read(page, url: url, forced: forced, depth: depth, tags: tags) {
                case .expanded(let entries): return .expanded(.success(entries))
                case .refused(let error): return .expanded(.failure(error))
                case .page:
                    // Fetched as a possible source: a body of another type is refused as before.
                    if !source, let failure = Fetcher.unsupportedContent(page) { return .unsupported(failure) }
                    do throws(ExtractError) { return .article(.success(try extractor.extract(page: page))) } catch {
                        return .article(.failure(error))
                    }
                }
            }
            switch result {
            case nil: return await returnToQueue(url, because: "shutdown while its page was being cleaned")
            case .article(let article): extracted = article
            case .expanded(let entries): expanded = entries
            case .unsupported(let failure): outcome = .failed(url: url, failure: failure)
            }
        }
        let settled = extracted, final = outcome, entries = expanded
        return await io.run {
            do throws(SpoolError) {
                if case .fetched(let page) = final, let entries { return try self.recordExpansion(lease, page, entries) }
                return try self.record(lease, final, settled)
            } catch {
                return self.spoolError(url, error)
            }
        }
    }

    /// What the extraction pool made of a fetched body.
    private enum Cleaned: Sendable {
        case article(Result<Article, ExtractError>)
        case expanded(Result<SourceExpansion.Expanded, ExpansionError>)
        /// Neither a source nor HTML: refused as a fetch would have.
        case unsupported(FetchFailure)
    }

    /// Records an expanded feed or sitemap: its entries as a job file in the inbox, then the URL as
    /// delivered without an article; or, when it could not be read, the URL as failed with the reason.
    private func recordExpansion(_ lease: Journal.Lease, _ page: FetchedPage,
                        _ entries: Result<SourceExpansion.Expanded, ExpansionError>) throws(SpoolError) -> URLReport {
        let url = lease.url
        switch entries {
        case .failure(let error):
            return try fail(lease, attempts: lease.attempts + 1, status: page.status, error: error.description)
        case .success(let expanded):
            // The file first: a crash before the journal write expands the URL again (the journal's
            // duplicate window absorbs the repeated lines); entries are never lost.
            _ = try SourceJobFile.write(expanded.lines, to: delivery.layout, now: clock.now())
            try journal.delivered(url: url, status: page.status)
            delivery.removeDeferred(url: url)
            let n = expanded.lines.count
            return URLReport(kind: .delivered, line: "expanded \(url): \(expanded.kind.rawValue) with \(n) entr\(n == 1 ? "y" : "ies")"
                             + " (\(expanded.dropped) dropped by limits)")
        }
    }

    private func returnToQueue(_ url: String, because reason: String) async -> URLReport {
        await io.run {
            do throws(SpoolError) {
                try self.journal.requeue(url: url)
                return URLReport(kind: .requeued, line: "returned to the queue \(url) (\(reason))")
            } catch {
                return self.spoolError(url, error)
            }
        }
    }

    /// The report of a URL whose outcome could not be recorded: it goes back to the queue (or, when
    /// even that fails, the loop keeps it to return later).
    private func spoolError(_ url: String, _ error: SpoolError) -> URLReport {
        var report = URLReport(kind: .spoolError, line: "spool error on \(url), returned to the queue: \(error)",
                               error: error)
        do { try journal.requeue(url: url) } catch { report.unreturned = url }
        return report
    }

    /// Records the outcome of one URL in the journal and the spool's folders (blocking I/O).
    private func record(_ lease: Journal.Lease, _ outcome: FetchOutcome,
                        _ extracted: Result<Article, ExtractError>?) throws(SpoolError) -> URLReport {
        let url = lease.url
        switch outcome {
        case .fetched(let page):
            var article: Article
            switch extracted {
            case .success(let a): article = lease.options.applied(to: a)
            case .failure(let error):
                var metadata: Article?
                if case .noContent(let m) = error { metadata = m }
                return try fail(lease, attempts: lease.attempts + 1, status: page.status, error: error.description,
                                metadata: metadata)
            case nil:
                return try fail(lease, attempts: lease.attempts + 1, status: page.status, error: "not extracted")
            }
            let start = try journal.beginDelivery(url: url, articleId: article.id, fingerprint: article.fingerprint,
                                                  owner: delivery.articleOwner)
            switch start {
            case .collision(let other):
                return try fail(lease, attempts: lease.attempts + 1, status: page.status,
                                error: "article id \(article.id) already belongs to \(other) (out/\(article.id).json);"
                                    + " not overwritten")
            case .start(let duplicateOf):
                article.duplicateOf = duplicateOf
            }
            try delivery.write(article, only: lease.options.formats)
            try journal.delivered(url: url, status: page.status, completion: outputs?.completion(for: article))
            outputs?.after()
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
        case .deferred(_, let retryAt, let failure, _):
            let status = failure.status, reason = outcome.reason
            if failure == .cancelled {
                try journal.requeue(url: url)
                return URLReport(kind: .requeued, line: "returned to the queue \(url) (cancelled)")
            }
            let attempts = lease.attempts + 1
            let now = clock.now()
            switch backoff.decide(attempts: attempts, serverRetryAt: retryAt, now: now) {
            case .giveUp:
                return try fail(lease, attempts: attempts, status: status,
                                error: "gave up after \(attempts) attempts: \(reason)")
            case .retry(let at):
                try journal.deferred(url: url, attempts: attempts, nextTry: at, status: status, error: reason)
                try delivery.writeDeferred(.init(
                    url: url, status: status, error: reason, attempts: attempts,
                    firstSeen: Delivery.iso(lease.firstSeen), lastTry: Delivery.iso(now),
                    nextTry: Delivery.iso(at), failedAt: nil))
                try journal.settled(url: url)
                return URLReport(kind: .deferred, line: "deferred \(url) until \(Delivery.iso(at)) "
                                 + "(attempt \(attempts) of \(backoff.maxAttempts)): \(reason)")
            }
        case .failed(_, let failure):
            return try fail(lease, attempts: lease.attempts + 1, status: failure.status, error: outcome.reason)
        }
    }

    private func fail(_ lease: Journal.Lease, attempts: Int, status: Int, error: String,
                      metadata: Article? = nil) throws(SpoolError) -> URLReport {
        try journal.failed(url: lease.url, attempts: attempts, status: status, error: error)
        let now = Delivery.iso(clock.now())
        try delivery.writeFailed(.init(url: lease.url, status: status, error: error, attempts: attempts,
                                       firstSeen: Delivery.iso(lease.firstSeen), lastTry: now, nextTry: nil,
                                       failedAt: now, metadata: metadata))
        try journal.settled(url: lease.url)
        delivery.removeDeferred(url: lease.url)
        return URLReport(kind: .failed, line: "failed \(lease.url) (attempt \(attempts)): \(error)")
    }
}
