import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import DecantCore
import DecantFetch

/// The loop of one running spool service (owned by `SpoolService.run`, one task): it wires the jobs
/// together and waits for the next event. Recovery is `SpoolRecovery`, intake `InboxIntake` (through
/// `Housekeeping`), dispatch `Dispatcher`, reporting `StatusReporter`, pausing `SpoolPause`.
final class SpoolRunner {
    private var config: PipelineConfig
    private let options: SpoolService.Options
    private let logger: Logger
    private let clock: any ServiceClock
    private var parts: SpoolParts
    private var fetcher: any PageFetching
    private let wake: Wake
    private let watcher: InboxWatcher
    private let dispatcher: Dispatcher
    private let housekeeping: Housekeeping
    private var pause: SpoolPause
    /// Polls the recurring sources (docs/sources.md "Recurring sources").
    private let poller: SourcePoller

    /// What wakes the loop besides its deadline: a finished URL, the end of a fetcher or of SIGHUP.
    enum Event: Sendable {
        case wake
        case done(URLReport)
        case ended
    }

    init(config: PipelineConfig, options: SpoolService.Options, logger: Logger, clock: any ServiceClock, io: SpoolIO,
         makeFetcher: @escaping SpoolService.FetcherFactory,
         makeExtractor: @escaping SpoolService.ExtractorFactory) throws {
        self.config = config
        self.options = options
        self.logger = logger
        self.clock = clock
        parts = try SpoolParts(config: config, logger: logger, clock: clock, io: io, makeFetcher: makeFetcher,
                               makeExtractor: makeExtractor)
        let fetcher = makeFetcher(config.fetch, parts.validators)
        self.fetcher = fetcher
        if let warc = parts.warc { fetcher.record(to: warc) }
        let wake = Wake(clock: clock)
        self.wake = wake
        watcher = InboxWatcher(folder: parts.layout.inbox) { wake.inboxChanged() }
        dispatcher = Dispatcher(journal: parts.journal, ingest: parts.ingest, status: parts.status, wake: wake,
                                clock: clock, logger: logger, concurrency: config.fetch.concurrency)
        housekeeping = Housekeeping(intake: parts.intake, claim: parts.claim, journal: parts.journal,
                                    status: parts.status, config: config, now: clock.now())
        pause = SpoolPause(root: parts.layout.root, once: options.once, logger: logger)
        poller = SourcePoller(store: parts.sources, layout: parts.layout, settings: Self.pollerSettings(config),
                              fetcher: fetcher, clock: clock, logger: logger, once: options.once) { wroteJob in
            if wroteJob { wake.inboxChanged() } else { wake.poke() }
        }
    }

    private var context: URLContext {
        URLContext(fetcher: fetcher, extractor: parts.makeExtractor(config.clean), pool: parts.pool, io: parts.io,
                   journal: parts.journal, delivery: parts.delivery, backoff: Backoff(config.queue),
                   validators: parts.validators, outputs: parts.outputs, clock: clock,
                   expansion: SourceExpansion(limits: config.sources.limits))
    }

    func run() async throws {
        let wake = self.wake
        defer { parts.pool.shutdown() }
        try await withGracefulShutdownHandler {
            guard try await self.recoverPatiently() else { return }
            // The webhook sender runs beside the loop; `--once` sends what is due before exiting.
            let sender = self.parts.webhook.map { webhook in Task { await webhook.run() } }
            defer { sender?.cancel() }
            self.logger.info("spool service started on \(self.parts.layout.root)\(self.options.once ? " (once)" : ""): \(self.dispatcher.maxInFlight) URLs in flight at most, rescan every \(self.config.schedule.intervalSeconds) s, inotify \(self.watcher.isActive ? "on" : "off")")
            try await self.loop()
            sender?.cancel()
            await sender?.value
            if self.options.once, let webhook = self.parts.webhook { await webhook.drain() }
        } onGracefulShutdown: {
            wake.requestStop()
        }
        // The loop has ended, and with it the fetcher's thread: no exchange is recorded after this.
        if let warc = parts.warc { await warc.stop() }
        parts.status.flush()
        logger.info("spool service stopped: \(dispatcher.summary)")
    }

    /// `SpoolRecovery`, tried again with backoff while the spool cannot be written (a full disk),
    /// until it works or a stop is requested (false). `--once` gives up after `SpoolPause.onceAttempts`.
    private func recoverPatiently() async throws -> Bool {
        while true {
            do {
                try parts.recovery.run(windowHours: config.queue.duplicateWindowHours)
                pause.resumed()
                return true
            } catch {
                try pause.pause(for: error, during: "start-up recovery", now: clock.now())
            }
            while clock.now() < pause.until {
                if wake.stopRequested { return false }
                await wake.wait(until: pause.until)
                if Task.isCancelled { return false }
            }
            if wake.stopRequested { return false }
        }
    }

    // MARK: The loop

    /// The loop's stop state (touched only by the loop's task).
    private struct Stopping {
        var started = false
        var cancelled = false
        var graceDeadline = Date.distantFuture
    }

    private func loop() async throws {
        let wake = self.wake
        dispatcher.start()
        // SIGHUP is trapped before the first status file is written: a supervisor that waits for
        // status.json can send it without ending the process (SIGHUP's default action).
        let hangups = options.reload != nil ? await UnixSignalsSequence(trapping: .sighup) : nil
        var stop = Stopping()
        var waiting = false
        try await withThrowingTaskGroup(of: Event.self) { group in
            if let hangups {
                group.addTask {
                    for await _ in hangups { wake.requestReload() }
                    return .ended
                }
            }
            run(fetcher, in: &group)
            let poller = self.poller, once = options.once
            group.addTask {
                await poller.run(once: once)
                return .ended
            }
            while true {
                let now = clock.now()
                // A cancelled task (a supervisor's, a test's time limit) stops at once: no grace, the
                // URLs in flight go back to the queue. Its waits return at once, so it must not go on.
                let cancelled = Task.isCancelled
                if (wake.stopRequested || cancelled) && !stop.started {
                    stop.started = true
                    stop.graceDeadline = now.addingTimeInterval(config.queue.shutdownGraceSeconds)
                    if cancelled {
                        logger.notice("cancelled: stopping at once; \(dispatcher.inFlight) page(s) in flight go back to the queue")
                    } else {
                        logger.notice("stopping: no new work; \(dispatcher.inFlight) page(s) in flight get \(config.queue.shutdownGraceSeconds) s to finish")
                    }
                }
                if cancelled { stop.graceDeadline = min(stop.graceDeadline, now) }
                if stop.started {
                    if dispatcher.inFlight == 0 { break }
                    if now >= stop.graceDeadline && !stop.cancelled {
                        // Every URL task is cancelled (fetches end, pages still being cleaned are left
                        // to finish unseen) and returns its URL to the queue.
                        stop.cancelled = true
                        logger.notice("grace period over: returning \(dispatcher.inFlight) unfinished page(s) to the queue")
                        group.cancelAll()
                    }
                } else {
                    if wake.takeReload() { reload(&group) }
                    try takeWork(now, &group)
                    parts.status.report(now: now)
                    if options.once, (try? isDone(now)) == true { break }
                }
                // Once the URL tasks are cancelled the group is too: only their ends are awaited.
                if !waiting && !stop.cancelled {
                    let deadline = (try? nextDeadline(now, stop)) ?? now.addingTimeInterval(1)
                    group.addTask {
                        await wake.wait(until: deadline)
                        return .wake
                    }
                    waiting = true
                }
                guard let event = try await group.next() else { break }
                switch event {
                case .wake: waiting = false
                case .ended: break
                case .done(let report): finished(report)
                }
            }
            fetcher.finish()
            group.cancelAll()
        }
    }

    /// Runs `fetcher`'s thread as a task of the loop: it ends with the loop, or after a reload once
    /// its last fetch is done.
    private func run(_ fetcher: any PageFetching, in group: inout ThrowingTaskGroup<Event, any Error>) {
        group.addTask(executorPreference: globalConcurrentExecutor) {
            await fetcher.run()
            return .ended
        }
    }

    /// Claims, prunes and starts new work, unless paused on a spool error (then probes the spool
    /// when the pause is over).
    private func takeWork(_ now: Date, _ group: inout ThrowingTaskGroup<Event, any Error>) throws {
        if !pause.isPaused {
            for failure in housekeeping.run(now: now, announced: wake.takeInbox()) {
                try? pause.pause(for: failure.error, during: failure.during, now: now)
            }
        }
        guard now >= pause.until else { return }
        if pause.isPaused { try probeSpool(now) }
        guard !pause.isPaused else { return }
        do {
            try dispatcher.returnUnreturned()
            try dispatcher.feed(&group, context: context)
        } catch {
            try pause.pause(for: error, during: "taking new work", now: now)
        }
    }

    /// While paused: tries a small durable write into tmp/ and one into the journal; resumes when
    /// both work (picking up job files claimed meanwhile), else waits longer.
    private func probeSpool(_ now: Date) throws {
        do {
            try parts.delivery.probeSpace()
            try parts.journal.probe()
            try dispatcher.returnUnreturned()
            try parts.ingest.refresh()  // job files claimed while the journal could not record them
            pause.resumed()
        } catch {
            try pause.pause(for: error, during: "checking for space", now: now)
        }
    }

    /// One URL finished; the first spool error of an episode starts a pause (the others of the same
    /// episode are not new tries).
    private func finished(_ report: URLReport) {
        dispatcher.finished(report)
        guard report.kind == .spoolError, !pause.isPaused else { return }
        logger.error("\(report.line)")
        if let error = report.error { try? pause.pause(for: error, during: "recording a page", now: clock.now()) }
    }

    /// `--once`: true when nothing is in flight, queued, claimable or due.
    private func isDone(_ now: Date) throws(SpoolError) -> Bool {
        guard dispatcher.inFlight == 0 && !parts.ingest.hasJobs && !pause.isPaused && !poller.isBusy,
              housekeeping.inboxIsEmpty(now: now) else { return false }
        let due = try parts.journal.nextDeferredTime().map { $0 <= now } ?? false
        let active = try parts.journal.activeCount(cap: 1)
        return !due && active == 0
    }

    /// When the loop must look again even if no page finishes.
    private func nextDeadline(_ now: Date, _ stop: Stopping) throws(SpoolError) -> Date {
        var deadline = min(housekeeping.nextDeadline, parts.status.nextDeadline, stop.graceDeadline)
        if pause.until > now { deadline = min(deadline, pause.until) }
        if let due = try parts.journal.nextDeferredTime() { deadline = min(deadline, max(due, now)) }
        if dispatcher.wantsToReadAhead { deadline = now }
        return deadline
    }

    static func pollerSettings(_ config: PipelineConfig) -> SourcePoller.Settings {
        SourcePoller.Settings(sources: config.sources, recheckSeconds: config.schedule.intervalSeconds,
                              limits: config.sources.limits)
    }

    /// SIGHUP: loads the configuration again and applies it; a bad one is logged and the old one kept.
    private func reload(_ group: inout ThrowingTaskGroup<Event, any Error>) {
        guard let load = options.reload,
              let applied = ConfigReload.load(load, current: config, logger: logger) else { return }
        if applied.fetch != config.fetch {
            // Pages in flight finish on the old fetcher; its thread ends after their last fetch.
            fetcher.finish()
            fetcher = parts.makeFetcher(applied.fetch, parts.validators)
            if let warc = parts.warc { fetcher.record(to: warc) }
            run(fetcher, in: &group)
            poller.use(fetcher)
            dispatcher.setConcurrency(applied.fetch.concurrency)
        }
        poller.apply(Self.pollerSettings(applied))
        config = applied
        parts.status.checkInterval = SpoolParts.statusCheckInterval(applied)
        parts.status.noteChange()
        parts.delivery.formats = applied.output.formats
        parts.ingest.windowHours = applied.queue.duplicateWindowHours
        housekeeping.scanInterval = applied.schedule.intervalSeconds
        housekeeping.stableSeconds = applied.queue.stableSeconds
        housekeeping.windowHours = applied.queue.duplicateWindowHours
        logger.notice("configuration reloaded")
    }
}
