import Foundation
import Logging
import DecantCore

/// The service's dispatch job: reads job files ahead while the queue is short, leases due URLs
/// from the journal (due retries first), starts one URL task each up to the in-flight cap, and
/// takes their reports back (logged and counted).
final class Dispatcher {
    private let journal: Journal
    private let ingest: JobIngest
    private let status: StatusReporter
    private let wake: Wake
    private let clock: any ServiceClock
    private let logger: Logger
    /// URLs fetched at once: enough to keep every host queue of the fetcher busy, and bounded.
    private(set) var maxInFlight: Int
    private(set) var inFlight = 0
    /// URLs queued in the journal (an estimate, corrected whenever the queue runs short).
    private(set) var queued = 0
    /// Finished URLs by kind, for the summary at the end.
    private(set) var counts: [URLReport.Kind: Int] = [:]
    /// URLs whose return to the queue failed (still in flight in the journal): returned on resuming.
    private var unreturned: [String] = []

    /// Lines read from job files per loop turn (keeps the loop responsive on huge files).
    static let ingestBudget = 2000

    init(journal: Journal, ingest: JobIngest, status: StatusReporter, wake: Wake, clock: any ServiceClock,
         logger: Logger, concurrency: Int) {
        self.journal = journal
        self.ingest = ingest
        self.status = status
        self.wake = wake
        self.clock = clock
        self.logger = logger
        maxInFlight = Self.maxInFlight(concurrency: concurrency)
    }

    /// Twice the fetcher's concurrency, between 8 and 4096 (a cluster node uses the same cap).
    static func maxInFlight(concurrency: Int) -> Int { FetchConfig.urlsInFlight(concurrency: concurrency) }

    /// The fetch concurrency changed (a reload): the cap follows from the next turn on.
    func setConcurrency(_ concurrency: Int) { maxInFlight = Self.maxInFlight(concurrency: concurrency) }

    /// Queued URLs kept ready in the journal; job files are read further only below half of it.
    var queueTarget: Int { max(1000, maxInFlight * 8) }

    /// Job files can be read ahead now: the loop must not sleep.
    var wantsToReadAhead: Bool { ingest.hasJobs && queued < queueTarget / 2 && inFlight < maxInFlight }

    /// Counts the queued URLs once at start.
    func start() { queued = (try? journal.activeCount(cap: queueTarget)) ?? 0 }

    /// Reads job files ahead while the queue is short, and starts due URLs up to the in-flight cap,
    /// each as a task of `group` running `context.process`.
    func feed(_ group: inout ThrowingTaskGroup<SpoolRunner.Event, any Error>, context: URLContext) throws(SpoolError) {
        if queued < queueTarget / 2 && ingest.hasJobs {
            let read = try ingest.ingest(budget: min(Self.ingestBudget, queueTarget - queued))
            queued += read
            if read > 0 { status.noteChange() }
        }
        let free = maxInFlight - inFlight
        // Lease in batches (one journal transaction each), not one URL per finished page.
        guard free >= max(1, maxInFlight / 8) || inFlight == 0 else { return }
        let leases = try journal.lease(limit: free, now: clock.now())
        if leases.count < free {
            queued = try journal.activeCount(cap: queueTarget) - inFlight - leases.count
        } else {
            queued = max(0, queued - leases.count)
        }
        if !leases.isEmpty { status.noteChange() }
        for lease in leases {
            // URL tasks run on the global executor; they hop to the `SpoolIO` executor to record.
            group.addTask(executorPreference: globalConcurrentExecutor) { .done(await context.process(lease)) }
        }
        inFlight += leases.count
    }

    /// Returns to the queue the URLs whose requeue failed during a pause.
    func returnUnreturned() throws(SpoolError) {
        while let url = unreturned.last {
            try journal.requeue(url: url)
            unreturned.removeLast()
        }
    }

    /// Takes one finished URL back: counts it and logs it (one line per delivered, deferred or failed
    /// URL). A `.spoolError` report is left to the caller to log, since it may start a pause.
    func finished(_ report: URLReport) {
        inFlight -= 1
        counts[report.kind, default: 0] += 1
        status.noteChange()
        if let url = report.unreturned { unreturned.append(url) }
        switch report.kind {
        case .spoolError:
            break
        case .requeued:
            logger.notice("\(report.line)")
        case .deferred:
            logger.info("\(report.line)")
            wake.poke()  // the next deferred time may now be earlier than the loop's deadline
        case .delivered, .notModified, .failed:
            logger.info("\(report.line)")
        }
    }

    /// The counts as one line: "3 delivered, 0 not modified, ...".
    var summary: String {
        [URLReport.Kind.delivered, .notModified, .deferred, .failed, .requeued]
            .map { "\(counts[$0] ?? 0) \(Self.name($0))" }.joined(separator: ", ")
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
