import Foundation
import Logging
import DecantCore
import DecantExtract
import DecantFetch
import DecantSpool
import DecantPostgres

/// One node of a cluster (`queue.backend: "postgres"`): claims its own inbox by rename, streams the
/// job files into the shared queue (each batch with its read position), leases URLs from it, and
/// delivers each article into the `articles` table (and its own out/) only while it holds the lease.
///
/// Leases are renewed while pages are in flight (`LeaseKeeper`), requests to a host take one of the
/// cluster's per-host slots (`reserveHost`), and a queue error that may pass (the database down or
/// restarting) is retried with backoff; a URL whose lease was lost meanwhile is left to the node that has it.
package final class ClusterNode: Sendable {
    package struct Options: Sendable {
        /// Process what is due, then return (`decant run --once`).
        package var once = false
        package init(once: Bool = false) { self.once = once }
    }

    let config: PipelineConfig
    let options: Options
    let queue: PostgresQueue
    let fetcher: any PageFetching
    let extractor: any PageExtracting
    let layout: SpoolLayout
    let delivery: Delivery
    let claim: Claim
    let keeper: LeaseKeeper
    let backoff: Backoff
    let expansion: SourceExpansion
    let logger: Logger
    let pool = ExtractionPool()
    let io = SpoolIO()
    /// Lines read from job files per batch (one `enqueue` each).
    static let batchLines = 500

    package init(config: PipelineConfig, options: Options, queue: PostgresQueue, fetcher: any PageFetching,
                 extractor: any PageExtracting, logger: Logger) {
        self.config = config
        self.options = options
        self.queue = queue
        self.fetcher = fetcher
        self.extractor = extractor
        self.logger = logger
        layout = SpoolLayout(root: config.spool)
        delivery = Delivery(layout: layout, formats: config.output.formats, frontMatter: config.output.frontMatter)
        claim = Claim(layout: layout)
        keeper = LeaseKeeper(queue: queue, leaseSeconds: config.queue.leaseSeconds)
        backoff = Backoff(config.queue)
        expansion = SourceExpansion(limits: config.sources.limits)
    }

    deinit {
        pool.shutdown()
        io.shutdown()
    }

    /// URLs in flight at most on this node.
    var maxInFlight: Int { FetchConfig.urlsInFlight(concurrency: config.fetch.concurrency) }

    /// Runs until cancelled (or, with `once`, until nothing is due); returns the URLs it finished.
    @discardableResult
    package func run() async throws(QueueError) -> Int {
        var recovered = 0
        for step in 0... {
            do { recovered = try await queue.recover(now: Date()); break } catch {
                guard error.isTransient, !Task.isCancelled else { throw error }
                let delay = Self.queueBackoff.delay(step: step)
                logger.warning("shared queue: \(error); trying again in \(Int(delay)) s")
                try? await Task.sleep(for: .seconds(delay))
            }
        }
        if recovered > 0 { logger.notice("\(recovered) URL(s) this node had in flight before a restart went back to the queue") }
        let keeper = self.keeper, logger = self.logger, queue = self.queue
        return await withTaskGroup(of: Int.self) { group in
            group.addTask {
                await self.fetcher.run()
                return 0
            }
            group.addTask {
                await keeper.run(lost: { urls in logger.notice("lease lost (another node has it): \(urls.joined(separator: ", "))") },
                                 failed: { error in logger.warning("cannot renew leases: \(error)") })
                return 0
            }
            group.addTask {
                // The heartbeat `decant status` shows, and this node's status.json and decant.prom.
                while !Task.isCancelled {
                    try? await queue.heartbeat(now: Date())
                    await self.writeStatus()
                    try? await Task.sleep(for: .seconds(min(Self.statusSeconds, keeper.interval)))
                }
                return 0
            }
            let finished = await loop()
            self.fetcher.finish()
            group.cancelAll()
            await group.waitForAll()
            if Task.isCancelled {
                // Stopped (SIGTERM): the URLs it had in flight go back to the queue now, not when their
                // leases expire. An unstructured task, so that the stop does not cancel this too.
                let returned = await Task { try? await queue.recover(now: Date()) }.value ?? 0
                if returned > 0 { logger.notice("stopping: \(returned) URL(s) in flight went back to the shared queue") }
            }
            if !Task.isCancelled { await writeStatus() }  // --once: the status at its end
            return finished
        }
    }

    /// Intake, leasing and waiting, until cancelled or (`once`) done.
    private func loop() async -> Int {
        var finished = 0, inFlight = 0, failures = 0
        let wake = Wake()
        let watcher = InboxWatcher(folder: layout.inbox) { wake.inboxChanged() }
        var nextIntake = Date.distantPast, nextStable: Date?
        await withTaskGroup(of: Bool.self) { urls in
            while !Task.isCancelled {
                var leased = 0, queueDown = false
                do {
                    // The inbox and work files: at once when idle or a file arrived, else once a second
                    // (not after every finished URL).
                    if inFlight == 0 || wake.takeInbox() || Date() >= nextIntake {
                        nextStable = try await intake()
                        nextIntake = Date().addingTimeInterval(Self.intakeSeconds)
                    }
                    let free = maxInFlight - inFlight
                    if free > 0 {
                        let leases = try await queue.lease(limit: free, now: Date())
                        for lease in leases {
                            keeper.hold(lease)
                            urls.addTask { await self.process(lease) }
                        }
                        leased = leases.count
                        inFlight += leased
                    }
                    failures = 0
                } catch {
                    queueDown = true
                    failures += 1
                    logger.warning("shared queue: \(error); trying again")
                }
                if options.once && !queueDown && leased == 0 && inFlight == 0 {
                    if (try? await isDone()) == true { break }
                }
                if inFlight > 0 && !queueDown {
                    if let done = await urls.next() { inFlight -= 1; if done { finished += 1 } }
                } else if queueDown {
                    // Longer while the queue fails, up to a minute.
                    try? await Task.sleep(for: .seconds(Self.queueBackoff.delay(step: failures)))
                } else {
                    await idle(wake, watching: watcher.isActive, stable: nextStable)
                }
            }
            urls.cancelAll()
            for await done in urls where done { finished += 1 }
        }
        withExtendedLifetime(watcher) {}
        return finished
    }

    /// Waits with nothing in flight until there may be work: URLs queued or given back by any node
    /// (NOTIFY), a retry or lease falling due, a file in the inbox (inotify) or one turning stable.
    private func idle(_ wake: Wake, watching: Bool, stable: Date?) async {
        var seconds = watching ? Self.idleSeconds : Self.intakeSeconds  // without inotify, look each second
        if let stable { seconds = min(seconds, max(0.05, stable.timeIntervalSinceNow)) }
        let queue = self.queue, wait = seconds
        let answered: Bool = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await wake.wait(until: Date().addingTimeInterval(wait)); return true }
            group.addTask { (try? await queue.waitForWork(seconds: wait, now: Date())) != nil }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        // The database did not answer: the next round's calls find out and back off.
        if !answered { try? await Task.sleep(for: .seconds(Self.intakeSeconds)) }
    }

    /// The shortest time between two looks at the inbox and work files while URLs are in flight.
    static let intakeSeconds: Double = 1
    /// The longest idle wait without any event (a safety net: every cause of work has its own wake-up).
    static let idleSeconds: Double = 10

    /// Nothing left for this node: no job files, nothing leasable now, no retry due within a second.
    private func isDone() async throws(QueueError) -> Bool {
        let local = await io.run { SpoolLayout.visibleNames(in: self.layout.inbox).isEmpty
            && SpoolLayout.visibleNames(in: self.layout.work).isEmpty }
        guard local else { return false }
        if try await queue.activeCount(cap: 1) > 0 { return false }
        guard let next = try await queue.nextDeferredTime() else { return true }
        return next > Date().addingTimeInterval(1)
    }

    // MARK: Intake

    /// Claims ready inbox files into work/ and streams each work file into the shared queue from the
    /// read position stored with its last batch; a file read to its end is removed. Returns when the
    /// next inbox file not yet stable will be.
    private func intake() async throws(QueueError) -> Date? {
        let (claimed, nextStable): ([String], Date?) = await io.run {
            let scan = self.claim.scan(stableSeconds: self.config.queue.stableSeconds, limit: 100)
            return (scan.ready.compactMap { try? self.claim.claim($0) }, scan.nextStable)
        }
        for name in claimed { try await queue.addJob(name) }
        let positions = Dictionary(try await queue.jobs().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let files = await io.run { SpoolLayout.visibleNames(in: self.layout.work).sorted() }
        for name in files {
            let known = positions[name]
            if known == nil { try await queue.addJob(name) }
            let offset = known?.offset ?? 0, lines = known?.lines ?? 0
            let batch = await io.run { self.read(name, offset: offset, lines: lines) }
            if !batch.urls.isEmpty || batch.ended == false {
                let result = try await queue.enqueue(job: name, entries: batch.urls, offset: batch.offset, lines: batch.lines,
                                                     windowHours: config.queue.duplicateWindowHours, now: Date())
                if result.queued > 0 { logger.info("queued \(result.queued) URL(s) of \(name)") }
            }
            if batch.ended {
                try await queue.removeJob(name)
                _ = await io.run { unlink("\(self.layout.work)/\(name)") }
            }
        }
        return nextStable
    }

    private struct Batch: Sendable {
        var urls: [(url: String, line: Int, options: JobOptions)] = []
        var offset: Int
        var lines: Int
        var ended = false
    }

    /// Up to `batchLines` lines of a work file from `offset` (after line `lines`); malformed lines go to failed/ as in
    /// the single-host spool, an unreadable file is failed whole.
    private func read(_ name: String, offset: Int, lines: Int) -> Batch {
        var batch = Batch(offset: offset, lines: lines)
        do {
            let reader = try JobFileReader(path: "\(layout.work)/\(name)", offset: offset, linesBefore: lines,
                                           formats: Set(delivery.formats.map(\.rawValue)).union(["json"]))
            for _ in 0..<Self.batchLines {
                guard let line = try reader.next() else { batch.ended = true; break }
                batch.offset = line.endOffset
                batch.lines = line.number
                switch line.kind {
                case .url(let url, let options): batch.urls.append((url, line.number, options))
                case .skip: break
                case .malformed(let text, let reason):
                    try? delivery.writeFailedLine(job: name, line: line.number, text: text, error: reason)
                }
            }
        } catch {
            logger.info("failed job file \(name): \(error)")
            _ = try? delivery.failJob(name: name, error: "\(error)")
            batch.ended = true
        }
        return batch
    }

    // MARK: One URL

    /// What the extraction pool made of a fetched body.
    private enum Cleaned: Sendable {
        case article(Result<Article, ExtractError>)
        case expanded(Result<SourceExpansion.Expanded, ExpansionError>)
        /// Neither a source nor HTML: refused as a fetch would have.
        case unsupported(FetchFailure)
    }

    /// Fetches, cleans and delivers one leased URL; true when its outcome was recorded by this node.
    ///
    /// A feed or sitemap (detected, or forced by the job line's `source`) is expanded as in the
    /// single-host spool: its entries go into this node's inbox as one JSONL job file (and from there
    /// into the shared queue), and the URL is delivered without an article.
    private func process(_ lease: QueueLease) async -> Bool {
        defer { keeper.release(lease.url) }
        let host = Self.origin(lease.url)
        var token: String?
        if let host {
            token = await slot(on: host, delayMs: config.fetch.sites.match(url: lease.url)?.rule.perHostDelayMs ?? config.fetch.perHostDelayMs)
            if token == nil { return await settle(lease, "requeue") { try await self.queue.requeue(lease, now: Date()) } }
        }
        let forced = lease.options.source, source = forced == .feed || forced == .sitemap
        let outcome = source ? await fetcher.fetchSource(lease.url, validators: nil) : await fetcher.fetchPageOrSource(lease.url)
        if let token { try? await queue.releaseHost(token: token) }
        switch outcome {
        case .fetched(let page):
            let extractor = self.extractor, expansion = self.expansion, url = lease.url
            let depth = lease.options.depth ?? 0, tags = lease.options.tags ?? []
            guard let cleaned = await pool.run({ () -> Cleaned in
                switch expansion.read(page, url: url, forced: forced, depth: depth, tags: tags) {
                case .expanded(let entries): return .expanded(.success(entries))
                case .refused(let error): return .expanded(.failure(error))
                case .page:
                    if !source, let failure = Fetcher.unsupportedContent(page) { return .unsupported(failure) }
                    do throws(ExtractError) { return .article(.success(try extractor.extract(page: page))) } catch {
                        return .article(.failure(error))
                    }
                }
            }) else {
                return await settle(lease, "requeue") { try await self.queue.requeue(lease, now: Date()) }
            }
            switch cleaned {
            case .article(.success(let cleaned)):
                return await deliver(lease, cleaned, status: page.status)
            case .article(.failure(let error)):
                return await fail(lease, status: page.status, error: error.description)
            case .expanded(.success(let expanded)):
                return await expand(lease, expanded, status: page.status)
            case .expanded(.failure(let error)):
                return await fail(lease, status: page.status, error: error.description)
            case .unsupported(let failure):
                return await fail(lease, status: failure.status, error: FetchOutcome.failed(url: url, failure: failure).reason)
            }
        case .notModified:
            return await settle(lease, "deliver") { try await self.queue.delivered(lease, status: 304, now: Date()) }
        case .deferred(_, let retryAt, let failure, _):
            if failure == .cancelled {
                return await settle(lease, "requeue") { try await self.queue.requeue(lease, now: Date()) }
            }
            let attempts = lease.attempts + 1, reason = outcome.reason
            switch backoff.decide(attempts: attempts, serverRetryAt: retryAt, now: Date()) {
            case .giveUp:
                return await fail(lease, status: failure.status, error: "gave up after \(attempts) attempts: \(reason)")
            case .retry(let at):
                return await settle(lease, "defer") {
                    try await self.queue.deferred(lease, attempts: attempts, nextTry: at, status: failure.status,
                                                  error: reason, now: Date())
                }
            }
        case .failed(_, let failure):
            return await fail(lease, status: failure.status, error: outcome.reason)
        }
    }

    /// Delivers a cleaned article into the articles table (only while the lease holds), then this node's out/ copy.
    private func deliver(_ lease: QueueLease, _ cleaned: Article, status: Int) async -> Bool {
        let article = lease.options.applied(to: cleaned)
        // A job line's `formats` leaves out the configured formats it does not name (JSON always).
        let wants = { (format: OutputConfig.Format) in
            self.delivery.formats.contains(format) && (lease.options.formats.map { $0.contains(format.rawValue) } ?? true)
        }
        let shared = SharedArticle(
            id: article.id, url: article.url ?? lease.url, fingerprint: article.fingerprint,
            json: String(decoding: OutputConfig.Format.json.file(article), as: UTF8.self),
            markdown: wants(.markdown)
                ? String(decoding: OutputConfig.Format.markdown.file(article, frontMatter: delivery.frontMatter), as: UTF8.self) : nil,
            text: wants(.text)
                ? String(decoding: OutputConfig.Format.text.file(article), as: UTF8.self) : nil)
        let recorded = await settle(lease, "deliver") {
            try await self.queue.deliver(lease, article: shared, status: status, now: Date())
        }
        if recorded {
            // The node's own out/ copy, for users who want files on each node.
            let delivery = self.delivery
            let written: Bool = await io.run { (try? delivery.write(article, only: lease.options.formats)) != nil }
            if !written { logger.warning("delivered \(lease.url) to the cluster; its out/ copy could not be written") }
            logger.info("delivered \(lease.url) -> articles (\(article.id))")
        }
        return recorded
    }

    /// A feed's or sitemap's entries into this node's inbox (the file first: a crash before the queue
    /// records the URL expands it again, and the duplicate window absorbs the repeated lines), then the
    /// URL as delivered without an article.
    private func expand(_ lease: QueueLease, _ expanded: SourceExpansion.Expanded, status: Int) async -> Bool {
        let layout = self.layout
        let written: Result<String?, SpoolError> = await io.run {
            do throws(SpoolError) { return .success(try SourceJobFile.write(expanded.lines, to: layout, now: Date())) } catch {
                return .failure(error)
            }
        }
        if case .failure(let error) = written {
            logger.warning("expanding \(lease.url): \(error); back to the queue")
            return await settle(lease, "requeue") { try await self.queue.requeue(lease, now: Date()) }
        }
        let recorded = await settle(lease, "deliver") { try await self.queue.delivered(lease, status: status, now: Date()) }
        let n = expanded.lines.count
        if recorded {
            logger.info("expanded \(lease.url): \(expanded.kind.rawValue) with \(n) entr\(n == 1 ? "y" : "ies") (\(expanded.dropped) dropped by limits)")
        }
        return recorded
    }

    /// Fails the URL in the shared queue and, once recorded, writes its failed/ record on this node.
    private func fail(_ lease: QueueLease, status: Int, error: String) async -> Bool {
        logger.info("failed \(lease.url): \(error)")
        let attempts = lease.attempts + 1
        let recorded = await settle(lease, "fail") {
            try await self.queue.failed(lease, attempts: attempts, status: status, error: error, now: Date())
        }
        if recorded {
            let delivery = self.delivery, now = Delivery.iso(Date())
            _ = await io.run {
                try? delivery.writeFailed(.init(url: lease.url, status: status, error: error, attempts: attempts,
                                                firstSeen: Delivery.iso(lease.firstSeen), lastTry: now, nextTry: nil, failedAt: now))
            }
        }
        return recorded
    }

    /// Records an outcome, retrying transient errors while the lease can still be held; false when the
    /// lease was lost (another node has the URL) or time ran out (the lease expires, another node takes it).
    private func settle(_ lease: QueueLease, _ what: String, _ record: @Sendable () async throws -> Void) async -> Bool {
        let end = Date().addingTimeInterval(config.queue.leaseSeconds)
        let backoff = ExponentialBackoff(base: 0.5, cap: 8)
        var step = 0
        while Date() < end && !Task.isCancelled {
            do {
                try await record()
                return true
            } catch {
                let error = error as? QueueError ?? .unavailable(operation: what, message: "\(error)")
                if case .leaseLost = error {
                    logger.notice("\(what) \(lease.url): lease lost, another node has it")
                    return false
                }
                guard error.isTransient else {
                    logger.error("\(what) \(lease.url): \(error)")
                    return false
                }
                try? await Task.sleep(for: .seconds(backoff.delay(step: step)))
                step += 1
            }
        }
        return false
    }

    /// A slot on `host` for the cluster (`fetch.perHostConcurrency`; `delayMs` from the site's rule or
    /// `fetch.perHostDelayMs`, or the host's Crawl-delay if longer); nil when none came within a third
    /// of the lease (the URL then goes back to the queue).
    private func slot(on host: String, delayMs: Int) async -> String? {
        let end = Date().addingTimeInterval(config.queue.leaseSeconds / 3)
        let slotSeconds = config.fetch.timeoutSeconds * Double(config.fetch.retries + 1) + 60
        while Date() < end && !Task.isCancelled {
            let answer = try? await queue.reserveHost(host, limit: config.fetch.perHostConcurrency,
                                                      delaySeconds: Double(delayMs) / 1000,
                                                      slotSeconds: slotSeconds, now: Date())
            switch answer {
            case .granted(let token)?: return token
            case .wait(let until)?:
                try? await Task.sleep(for: .seconds(min(1, max(0.01, until.timeIntervalSinceNow))))
            case nil:
                try? await Task.sleep(for: .seconds(1))
            }
        }
        return nil
    }

    /// The fetcher's per-host key of `url` (`FetchTarget.origin`: lower-cased, punycode host), the key of
    /// the hosts table; nil for file URLs and URLs the fetcher refuses (it then fails them itself).
    static func origin(_ url: String) -> String? {
        guard case .success(let target) = FetchTarget.parse(url, allowFile: true), !target.isFile else { return nil }
        return target.origin
    }

    /// Writes `status.json` and `decant.prom`: this node's spool folders and the cluster's status.
    func writeStatus() async {
        let cluster: Result<ClusterStatus, QueueError>
        do { cluster = .success(try await queue.clusterStatus()) } catch { cluster = .failure(error) }
        let layout = self.layout
        await io.run { NodeStatus(spool: SpoolStatus.collect(layout: layout, journal: nil), cluster: cluster).write(to: layout) }
    }

    /// How often a node rewrites its status files, at most (less often when leases are renewed faster).
    static let statusSeconds: Double = 5

    /// Waits between tries while the shared queue fails: 1, 2, 4… seconds, a minute at most.
    package static let queueBackoff = ExponentialBackoff(base: 1, cap: 60)
}
