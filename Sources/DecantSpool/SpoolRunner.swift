import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import DecantCore
import DecantArchive
import DecantFetch

/// The state and the loop of one running spool service (owned by `SpoolService.run`, one task).
final class SpoolRunner {
    private var config: PipelineConfig
    private let options: SpoolService.Options
    private let logger: Logger
    private let makeFetcher: SpoolService.FetcherFactory
    private let makeExtractor: SpoolService.ExtractorFactory
    private let pool = ExtractionPool()
    private let layout: SpoolLayout
    private let lock: SpoolLock
    private let journal: Journal
    private let validators: ValidatorStore?
    private var fetcher: any PageFetching
    /// `output.warc`: every exchange of the fetcher goes into spool/warc/ (docs/outputs.md).
    private let warc: WARCRecorder?
    private var delivery: Delivery
    private let claim: Claim
    private let ingest: JobIngest
    private let intake: InboxIntake
    private let watcher: InboxWatcher
    private let wake = Wake()
    private let status: StatusReporter
    private var counts: [URLReport.Kind: Int] = [:]
    private let deliveryLog: DeliveryLog?
    private let webhook: WebhookSender?

    /// URLs fetched at once: enough to keep every host queue of the fetcher busy, and bounded.
    private var maxInFlight: Int { min(4096, max(8, SaturatingTime.multiplying(config.fetch.concurrency, 2))) }
    /// Queued URLs kept ready in the journal; job files are read further only below half of it.
    private var queueTarget: Int { max(1000, maxInFlight * 8) }
    /// Lines read from job files per loop turn (keeps the loop responsive on huge files).
    private static let ingestBudget = 2000
    /// How often rows past the duplicate window and old events leave the journal.
    private static let pruneInterval: Double = 600

    init(config: PipelineConfig, options: SpoolService.Options, logger: Logger,
         makeFetcher: @escaping SpoolService.FetcherFactory,
         makeExtractor: @escaping SpoolService.ExtractorFactory) throws {
        self.config = config
        self.options = options
        self.logger = logger
        self.makeFetcher = makeFetcher
        self.makeExtractor = makeExtractor
        layout = SpoolLayout(root: config.spool)
        try layout.create()
        lock = try SpoolLock(path: layout.lockFile)
        journal = try Journal(path: layout.journal)
        validators = try Self.openValidators(config)
        fetcher = makeFetcher(config.fetch, validators)
        warc = config.output.warc ? WARCRecorder(directory: layout.warc, maxFileBytes: config.output.warcMaxBytes,
                                                 logger: logger) : nil
        if let warc { fetcher.record(to: warc) }
        delivery = Delivery(layout: layout, formats: config.output.formats, frontMatter: config.output.frontMatter)
        claim = Claim(layout: layout)
        ingest = JobIngest(layout: layout, journal: journal, delivery: delivery, logger: logger,
                           windowHours: config.queue.duplicateWindowHours)
        let wake = self.wake
        intake = InboxIntake(claim: claim, ingest: ingest, logger: logger)
        watcher = InboxWatcher(folder: layout.inbox) { wake.inboxChanged() }
        status = StatusReporter(layout: layout, journal: journal,
                                checkInterval: Self.statusCheckInterval(config))
        let journal = self.journal, layout = self.layout
        deliveryLog = config.output.deliveryLog ? DeliveryLog(folder: layout.out, journal: journal) : nil
        webhook = config.output.webhook.map {
            WebhookSender(config: $0, journal: journal, layout: layout, queue: config.queue, fetch: config.fetch,
                          logger: logger)
        }
    }

    private var outputs: DeliveryOutputs { DeliveryOutputs(delivery: delivery, log: deliveryLog, webhook: webhook) }

    /// Opens the validators database; tries twice, since a store of an earlier run in this process
    /// (tests run the service repeatedly) may still be closing its WAL connection.
    private static func openValidators(_ config: PipelineConfig) throws(SpoolError) -> ValidatorStore? {
        var attempt = 0
        while true {
            do { return try ValidatorStore.open(for: config) } catch {
                attempt += 1
                if attempt >= 3 {
                    guard let code = error.resultCode else {
                        throw .failure(path: error.path, operation: "open validators", reason: error.reason)
                    }
                    throw .journal(path: error.path, operation: "open validators", resultCode: code, message: error.reason)
                }
                usleep(200_000)
            }
        }
    }

    /// How often the status is looked at without a known change: rates age, folders change by hand.
    private static func statusCheckInterval(_ config: PipelineConfig) -> Double {
        min(config.schedule.intervalSeconds, 10)
    }

    private var context: URLContext {
        URLContext(fetcher: fetcher, extractor: makeExtractor(config.clean), pool: pool, journal: journal,
                   delivery: delivery, backoff: Backoff(config.queue), validators: validators, outputs: outputs)
    }

    // MARK: Start-up

    /// Brings the spool back to a consistent state after whatever happened to the last run.
    private func recover() throws(SpoolError) {
        try SpoolRecovery(layout: layout, journal: journal, delivery: delivery, ingest: ingest, logger: logger,
                          outputs: outputs)
            .run(windowHours: config.queue.duplicateWindowHours)
    }

    /// `recover`, tried again with backoff while the spool cannot be written (a full disk), until
    /// it works or a stop is requested (false). `--once` gives up after `onceAttempts` tries.
    private func recoverPatiently() async throws -> Bool {
        while true {
            do {
                try recover()
                spoolRecovered()
                return true
            } catch {
                try pauseForSpoolError(error, during: "start-up recovery")
            }
            while Date() < state.pausedUntil {
                if wake.stopRequested { return false }
                await wake.wait(until: state.pausedUntil)
                if Task.isCancelled { return false }
            }
            if wake.stopRequested { return false }
        }
    }

    // MARK: The loop

    private enum Event: Sendable {
        case wake
        case done(URLReport)
        case signalsEnded
    }

    func run() async throws {
        let wake = self.wake
        defer { pool.shutdown() }
        try await withGracefulShutdownHandler {
            guard try await self.recoverPatiently() else { return }
            // The webhook sender runs beside the loop; `--once` sends what is due before exiting.
            let sender = self.webhook.map { webhook in Task { await webhook.run() } }
            defer { sender?.cancel() }
            self.logger.info("spool service started on \(self.layout.root)\(self.options.once ? " (once)" : ""): \(self.maxInFlight) URLs in flight at most, rescan every \(self.config.schedule.intervalSeconds) s, inotify \(self.watcher.isActive ? "on" : "off")")
            try await self.loop()
            sender?.cancel()
            await sender?.value
            if self.options.once, let webhook = self.webhook { await webhook.drain() }
        } onGracefulShutdown: {
            wake.requestStop()
        }
        fetcher.shutdown()
        if let warc { await warc.stop() }
        status.flush()
        let summary = [URLReport.Kind.delivered, .notModified, .deferred, .failed, .requeued]
            .map { "\(counts[$0] ?? 0) \(Self.name($0))" }.joined(separator: ", ")
        logger.info("spool service stopped: \(summary)")
    }

    /// The loop's clocks and counters (touched only by the loop's task).
    private struct LoopState {
        var inFlight = 0
        /// A wake-up task is pending in the group.
        var waiting = false
        var stopping = false
        var cancelled = false
        var graceDeadline = Date.distantFuture
        var nextScan = Date.distantPast
        /// When the earliest inbox file still being written may be stable.
        var nextStable: Date?
        var scanWaiting = 0
        var nextPrune = Date().addingTimeInterval(SpoolRunner.pruneInterval)
        /// After a spool I/O error, no new work until then.
        var pausedUntil = Date.distantPast
        /// The error that paused intake (logged once), and the current wait before the next try.
        var pausedBy: SpoolError?
        var pauseDelay: Double = 0
        var pauseTries = 0
        /// URLs whose return to the queue failed (still in flight in the journal): returned on resuming.
        var unreturned: [String] = []
        /// URLs queued in the journal (an estimate, corrected whenever the queue runs short).
        var queued = 0
    }
    private var state = LoopState()

    private func loop() async throws {
        let wake = self.wake
        state.queued = (try? journal.activeCount(cap: queueTarget)) ?? 0
        // SIGHUP is trapped before the first status file is written: a supervisor that waits for
        // status.json can send it without ending the process (SIGHUP's default action).
        let hangups = options.reload != nil ? await UnixSignalsSequence(trapping: .sighup) : nil
        try await withThrowingTaskGroup(of: Event.self) { group in
            if let hangups {
                group.addTask {
                    for await _ in hangups { wake.requestReload() }
                    return .signalsEnded
                }
            }
            while true {
                let now = Date()
                if wake.stopRequested && !state.stopping { beginStopping(now) }
                if state.stopping {
                    if state.inFlight == 0 { break }
                    if now >= state.graceDeadline && !state.cancelled { cancelInFlight(&group) }
                } else {
                    housekeeping(now)
                    if now >= state.pausedUntil {
                        if state.pausedBy != nil { try probeSpool() }
                        if state.pausedBy == nil {
                            do {
                                try returnUnreturned()
                                try feed(&group)
                            } catch {
                                try pauseForSpoolError(error, during: "taking new work")
                            }
                        }
                    }
                    if options.once, (try? isDone(now)) == true { break }
                }
                // Once the URL tasks are cancelled the group is too: only their ends are awaited.
                if !state.waiting && !state.cancelled {
                    let deadline = (try? nextDeadline(now)) ?? now.addingTimeInterval(1)
                    group.addTask {
                        await wake.wait(until: deadline)
                        return .wake
                    }
                    state.waiting = true
                }
                guard let event = try await group.next() else { break }
                switch event {
                case .wake: state.waiting = false
                case .signalsEnded: break
                case .done(let report): finished(report)
                }
            }
            group.cancelAll()
        }
    }

    private func beginStopping(_ now: Date) {
        state.stopping = true
        state.graceDeadline = now.addingTimeInterval(config.queue.shutdownGraceSeconds)
        logger.notice("stopping: no new work; \(state.inFlight) page(s) in flight get \(config.queue.shutdownGraceSeconds) s to finish")
    }

    /// The end of the grace period: every URL task is cancelled (fetches end, pages still being
    /// cleaned are left to finish unseen) and returns its URL to the queue.
    private func cancelInFlight(_ group: inout ThrowingTaskGroup<Event, any Error>) {
        state.cancelled = true
        logger.notice("grace period over: returning \(state.inFlight) unfinished page(s) to the queue")
        fetcher.shutdown()
        group.cancelAll()
    }

    // MARK: Pausing on spool errors

    /// Longest wait between two tries while the spool cannot be written.
    private static let maxPauseSeconds: Double = 60
    /// `--once` gives up (exit 1) after this many failed tries (about a minute).
    private static let onceAttempts = 7

    /// A spool operation failed (disk full, I/O error): no new work for a while, retried with a
    /// doubling wait; logged once per episode. Never ends the service, except `--once` after
    /// `onceAttempts` tries.
    private func pauseForSpoolError(_ error: any Error, during what: String) throws {
        let spoolError = error as? SpoolError ?? .failure(path: layout.root, operation: what, reason: "\(error)")
        state.pauseTries += 1
        if state.pausedBy == nil {
            state.pauseDelay = 1
            let kind = spoolError.isOutOfSpace ? "the spool's disk is full" : "the spool cannot be written"
            logger.error("pausing intake, \(kind) (\(what): \(spoolError)); trying again with backoff up to \(Int(Self.maxPauseSeconds)) s")
        } else {
            state.pauseDelay = min(Self.maxPauseSeconds, state.pauseDelay * 2)
            logger.debug("still paused (\(what)): \(spoolError)")
        }
        state.pausedBy = spoolError
        state.pausedUntil = Date().addingTimeInterval(state.pauseDelay)
        if options.once && state.pauseTries >= Self.onceAttempts { throw spoolError }
    }

    /// The spool took writes again: log the end of a pause.
    private func spoolRecovered() {
        state.pauseTries = 0
        guard state.pausedBy != nil else { return }
        state.pausedBy = nil
        state.pauseDelay = 0
        state.pausedUntil = .distantPast
        logger.notice("resuming intake: the spool accepts writes again")
    }

    /// While paused: tries a small durable write into tmp/ and one into the journal; resumes when
    /// both work (picking up job files claimed meanwhile), else waits longer.
    private func probeSpool() throws {
        do {
            try delivery.probeSpace()
            try journal.probe()
            try returnUnreturned()
            try ingest.refresh()  // job files claimed while the journal could not record them
            spoolRecovered()
        } catch {
            try pauseForSpoolError(error, during: "checking for space")
        }
    }

    /// Returns to the queue the URLs whose requeue failed during a pause.
    private func returnUnreturned() throws(SpoolError) {
        while let url = state.unreturned.last {
            try journal.requeue(url: url)
            state.unreturned.removeLast()
        }
    }

    /// Reload on SIGHUP, claim inbox files when due or announced (not while paused), prune the
    /// journal, write the status.
    private func housekeeping(_ now: Date) {
        if wake.takeReload() { reload() }
        let paused = state.pausedBy != nil
        if !paused, wake.takeInbox() || now >= state.nextScan || (state.nextStable.map { now >= $0 } ?? false) {
            let scan = claimReady(now: now)
            state.scanWaiting = scan.waiting
            state.nextStable = scan.nextStable
            if now >= state.nextScan { state.nextScan = now.addingTimeInterval(config.schedule.intervalSeconds) }
        }
        if !paused && now >= state.nextPrune {
            state.nextPrune = now.addingTimeInterval(Self.pruneInterval)
            do { try journal.prune(windowHours: config.queue.duplicateWindowHours) } catch {
                try? pauseForSpoolError(error, during: "pruning the journal")
            }
        }
        status.report(now: now)
    }

    /// Reads job files ahead while the queue is short, and starts due URLs up to the in-flight limit.
    private func feed(_ group: inout ThrowingTaskGroup<Event, any Error>) throws(SpoolError) {
        if state.queued < queueTarget / 2 && ingest.hasJobs {
            let read = try ingest.ingest(budget: min(Self.ingestBudget, queueTarget - state.queued))
            state.queued += read
            if read > 0 { status.noteChange() }
        }
        let free = maxInFlight - state.inFlight
        // Lease in batches (one journal transaction each), not one URL per finished page.
        guard free >= max(1, maxInFlight / 8) || state.inFlight == 0 else { return }
        let leases = try journal.lease(limit: free)
        if leases.count < free {
            state.queued = try journal.activeCount(cap: queueTarget) - state.inFlight - leases.count
        } else {
            state.queued = max(0, state.queued - leases.count)
        }
        if !leases.isEmpty { status.noteChange() }
        let context = self.context
        for lease in leases {
            group.addTask { .done(await context.process(lease)) }
        }
        state.inFlight += leases.count
    }

    /// `--once`: true when nothing is in flight, queued, claimable or due.
    private func isDone(_ now: Date) throws(SpoolError) -> Bool {
        guard state.inFlight == 0 && !ingest.hasJobs && state.scanWaiting == 0 && state.pausedBy == nil else {
            return false
        }
        let scan = claim.scan(stableSeconds: config.queue.stableSeconds, limit: 1)
        let due = try journal.nextDeferredTime().map { $0 <= Date() } ?? false
        let active = try journal.activeCount(cap: 1)
        return scan.ready.isEmpty && scan.waiting == 0 && !due && active == 0
    }

    /// When the loop must look again even if no page finishes.
    private func nextDeadline(_ now: Date) throws(SpoolError) -> Date {
        var deadline = min(state.nextScan, status.nextDeadline, state.graceDeadline)
        if let nextStable = state.nextStable { deadline = min(deadline, nextStable) }
        if state.pausedUntil > now { deadline = min(deadline, state.pausedUntil) }
        if let due = try journal.nextDeferredTime() { deadline = min(deadline, max(due, now)) }
        if ingest.hasJobs && state.queued < queueTarget / 2 && state.inFlight < maxInFlight { deadline = now }
        return deadline
    }

    /// Logs one finished URL (one line per delivered, deferred or failed URL) and counts it.
    private func finished(_ report: URLReport) {
        state.inFlight -= 1
        counts[report.kind, default: 0] += 1
        status.noteChange()
        if let url = report.unreturned { state.unreturned.append(url) }
        switch report.kind {
        case .spoolError:
            // The first such error starts a pause; the others of the same episode are not new tries.
            if state.pausedBy == nil {
                logger.error("\(report.line)")
                if let error = report.error { try? pauseForSpoolError(error, during: "recording a page") }
            }
        case .requeued:
            logger.notice("\(report.line)")
        case .deferred:
            logger.info("\(report.line)")
            wake.poke()  // the next deferred time may now be earlier than the loop's deadline
        case .delivered, .notModified, .failed:
            logger.info("\(report.line)")
        }
    }

    /// Claims every complete job file in the inbox; a journal that cannot record a claim pauses intake.
    private func claimReady(now: Date) -> Claim.Scan {
        let result = intake.claimReady(stableSeconds: config.queue.stableSeconds, now: now)
        if result.claimed > 0 { status.noteChange() }
        if let (error, job) = result.journalError {
            try? pauseForSpoolError(error, during: "claiming job \(job)")  // refresh() finds it later
        }
        return result.scan
    }

    /// SIGHUP: loads the configuration again; a bad one is logged (with its key path) and the old one kept.
    private func reload() {
        guard let load = options.reload else { return }
        let new: PipelineConfig
        do {
            new = try load()
        } catch {
            logger.error("configuration reload failed, keeping the current configuration: \(error)")
            return
        }
        var applied = new
        if new.spool != config.spool {
            logger.warning("configuration reload: 'spool' cannot change while running (restart to move the spool); keeping \(config.spool)")
            applied.spool = config.spool
        }
        if new.output.warc != config.output.warc || new.output.warcMaxBytes != config.output.warcMaxBytes {
            logger.warning("configuration reload: 'output.warc' and 'output.warcMaxBytes' take effect at the next start")
            applied.output.warc = config.output.warc
            applied.output.warcMaxBytes = config.output.warcMaxBytes
        }
        if applied.fetch != config.fetch {
            // Pages in flight finish on the old fetcher (it shuts down when they release it).
            fetcher = makeFetcher(applied.fetch, validators)
            if let warc { fetcher.record(to: warc) }
        }
        config = applied
        status.checkInterval = Self.statusCheckInterval(applied)
        status.noteChange()
        delivery.formats = applied.output.formats
        ingest.windowHours = applied.queue.duplicateWindowHours
        logger.notice("configuration reloaded")
    }

    private static func name(_ kind: URLReport.Kind) -> String {
        switch kind {
        case .delivered: "delivered"
        case .notModified: "not modified"
        case .deferred: "deferred"
        case .failed: "failed"
        case .requeued: "returned to the queue"
        case .spoolError: "spool errors"
        }
    }
}
