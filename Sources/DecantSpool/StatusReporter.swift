import Foundation

/// Writes `status.json` and `decant.prom` when the status changed, at most once a second (the
/// service loop's reporting job).
///
/// After a change is noted the next write waits at least `minInterval` since the last one, and
/// longer when collecting is slow (a huge out/), so reporting never takes more than about a tenth of
/// the loop's time. Without changes the status is collected every `checkInterval` (rates age, files
/// come and go) and written only when it differs from the file, apart from its time.
final class StatusReporter {
    private let layout: SpoolLayout
    private let journal: Journal
    private let clock: any ServiceClock
    /// How often the status is collected without a noted change.
    var checkInterval: Double
    /// The shortest time between two writes.
    static let minInterval: Double = 1
    private var written: SpoolStatus?
    private var lastCollect = Date.distantPast
    private var collectSeconds: Double = 0
    private var changed = true
    /// Files written so far (for tests).
    private(set) var writes = 0

    init(layout: SpoolLayout, journal: Journal, checkInterval: Double, clock: any ServiceClock = SystemClock()) {
        self.layout = layout
        self.journal = journal
        self.clock = clock
        self.checkInterval = checkInterval
    }

    /// Something the status shows may have changed (a page finished, a job was claimed…).
    func noteChange() { changed = true }

    /// When `report` next has something to do.
    var nextDeadline: Date {
        changed ? lastCollect.addingTimeInterval(max(Self.minInterval, collectSeconds * 10))
            : lastCollect.addingTimeInterval(checkInterval)
    }

    /// Collects and writes the status if it is due; writes only what differs from the last file.
    func report(now: Date? = nil) {
        let now = now ?? clock.now()
        guard now >= nextDeadline else { return }
        let status = collect(now)
        if var previous = written {
            previous.generatedAt = status.generatedAt
            if previous == status { return }
        }
        write(status)
    }

    /// Writes the status now, changed or not (at the service's end).
    func flush() { write(collect(clock.now())) }

    private func collect(_ now: Date) -> SpoolStatus {
        let started = ContinuousClock.now
        let status = SpoolStatus.collect(layout: layout, journal: journal, now: now)
        collectSeconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
        lastCollect = now
        changed = false
        return status
    }

    private func write(_ status: SpoolStatus) {
        status.write(to: layout)
        written = status
        writes += 1
    }
}
