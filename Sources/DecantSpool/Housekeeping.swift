import Foundation
import DecantCore

/// The service's timed jobs: claiming inbox files when a rescan is due, inotify announced one or a
/// file being written may be stable; pruning the journal every `pruneInterval`.
final class Housekeeping {
    private let intake: InboxIntake
    private let claim: Claim
    private let journal: Journal
    private let status: StatusReporter
    /// Seconds between two rescans of the inbox (`schedule.intervalSeconds`).
    var scanInterval: Double
    /// `queue.stableSeconds` and `queue.duplicateWindowHours`.
    var stableSeconds: Double
    var windowHours: Double
    /// How often rows past the duplicate window and old events leave the journal.
    static let pruneInterval: Double = 600

    private var nextScan = Date.distantPast
    /// When the earliest inbox file still being written may be stable.
    private var nextStable: Date?
    private var nextPrune: Date
    /// Inbox files seen at the last scan that were not yet stable.
    private(set) var scanWaiting = 0

    /// A job that failed on the spool (the caller pauses intake): what failed, and during what.
    struct Failure {
        var error: SpoolError
        var during: String
    }

    init(intake: InboxIntake, claim: Claim, journal: Journal, status: StatusReporter, config: PipelineConfig,
         now: Date) {
        self.intake = intake
        self.claim = claim
        self.journal = journal
        self.status = status
        scanInterval = config.schedule.intervalSeconds
        stableSeconds = config.queue.stableSeconds
        windowHours = config.queue.duplicateWindowHours
        nextPrune = now.addingTimeInterval(Self.pruneInterval)
    }

    /// Claims inbox files when due or `announced` and prunes the journal when due; returns what
    /// failed on the spool. A claimed job the journal could not record is found again by `JobIngest.refresh`.
    func run(now: Date, announced: Bool) -> [Failure] {
        var failures: [Failure] = []
        if announced || now >= nextScan || (nextStable.map { now >= $0 } ?? false) {
            let pass = intake.claimReady(stableSeconds: stableSeconds, now: now)
            if pass.claimed > 0 { status.noteChange() }
            if let (error, job) = pass.journalError { failures.append(Failure(error: error, during: "claiming job \(job)")) }
            scanWaiting = pass.scan.waiting
            nextStable = pass.scan.nextStable
            if now >= nextScan { nextScan = now.addingTimeInterval(scanInterval) }
        }
        if now >= nextPrune {
            nextPrune = now.addingTimeInterval(Self.pruneInterval)
            do { try journal.prune(windowHours: windowHours, now: now) } catch {
                failures.append(Failure(error: error, during: "pruning the journal"))
            }
        }
        return failures
    }

    /// When `run` next has something to do without an announcement.
    var nextDeadline: Date { min(nextScan, nextStable ?? .distantFuture) }

    /// True when the inbox holds no job file, complete or still being written.
    func inboxIsEmpty(now: Date) -> Bool {
        guard scanWaiting == 0 else { return false }
        let scan = claim.scan(stableSeconds: stableSeconds, now: now, limit: 1)
        return scan.ready.isEmpty && scan.waiting == 0
    }
}
