import Foundation
import DecantCore

/// The `sqlite` backend: the spool's own journal, as the service has always used it. One node
/// holds the spool (its lock), so a lease lasts until the URL is finished or the process ends;
/// `recover` at the next start returns what a crash left in flight.
public final class SQLiteURLQueue: URLQueue {
    public let journal: Journal
    /// Whether out/ holds the article of this id (a URL caught mid-delivery by a crash is then delivered).
    private let articleExists: @Sendable (String) -> Bool
    public var backend: QueueBackend { .sqlite }

    public init(journal: Journal, articleExists: @escaping @Sendable (String) -> Bool) {
        self.journal = journal
        self.articleExists = articleExists
    }

    /// Opens (or creates) the journal at `path`.
    public convenience init(path: String, articleExists: @escaping @Sendable (String) -> Bool) throws(QueueError) {
        do { self.init(journal: try Journal(path: path), articleExists: articleExists) } catch { throw .journal(error) }
    }

    private func run<T>(_ body: () throws(SpoolError) -> T) throws(QueueError) -> T {
        do { return try body() } catch { throw .journal(error) }
    }

    public func recover(now: Date) async throws(QueueError) -> Int {
        try run { () throws(SpoolError) in try journal.recover(articleExists: articleExists).requeued }
    }

    public func enqueue(job: String, urls: [(url: String, line: Int)], offset: Int, lines: Int, windowHours: Double,
                        now: Date) async throws(QueueError) -> Journal.IngestResult {
        try run { () throws(SpoolError) in
            try journal.ingest(job: job, urls: urls, offset: offset, lines: lines, windowHours: windowHours, now: now)
        }
    }

    public func jobs() async throws(QueueError) -> [Journal.JobRecord] { try run(journal.jobs) }

    public func addJob(_ name: String) async throws(QueueError) {
        try run { () throws(SpoolError) in try journal.addJob(name) }
    }

    public func removeJob(_ name: String) async throws(QueueError) {
        try run { () throws(SpoolError) in try journal.removeJob(name) }
    }

    public func lease(limit: Int, now: Date) async throws(QueueError) -> [QueueLease] {
        let token = String(now.timeIntervalSince1970)
        return try run { () throws(SpoolError) in
            try journal.lease(limit: limit, now: now).map {
                QueueLease(url: $0.url, attempts: $0.attempts, articleId: $0.articleId, firstSeen: $0.firstSeen,
                           token: token)
            }
        }
    }

    /// Leases do not expire in a single-node spool: only those no longer in flight are reported lost.
    public func renew(_ leases: [QueueLease], now: Date) async throws(QueueError) -> [String] {
        var lost: [String] = []
        for lease in leases where try run({ () throws(SpoolError) in try journal.state(of: lease.url) }) != .inflight {
            lost.append(lease.url)
        }
        return lost
    }

    private func requireHeld(_ lease: QueueLease) throws(QueueError) {
        let state = try run { () throws(SpoolError) in try journal.state(of: lease.url) }
        guard state == .inflight || state == .delivering else { throw .leaseLost(url: lease.url) }
    }

    public func delivered(_ lease: QueueLease, status: Int, now: Date) async throws(QueueError) {
        try requireHeld(lease)
        try run { () throws(SpoolError) in try journal.delivered(url: lease.url, status: status) }
    }

    public func deferred(_ lease: QueueLease, attempts: Int, nextTry: Date, status: Int, error: String,
                         now: Date) async throws(QueueError) {
        try requireHeld(lease)
        try run { () throws(SpoolError) in
            try journal.deferred(url: lease.url, attempts: attempts, nextTry: nextTry, status: status, error: error)
        }
    }

    public func failed(_ lease: QueueLease, attempts: Int, status: Int, error: String,
                       now: Date) async throws(QueueError) {
        try requireHeld(lease)
        try run { () throws(SpoolError) in
            try journal.failed(url: lease.url, attempts: attempts, status: status, error: error)
        }
    }

    public func settled(url: String) async throws(QueueError) {
        try run { () throws(SpoolError) in try journal.settled(url: url) }
    }

    public func requeue(_ lease: QueueLease, now: Date) async throws(QueueError) {
        try requireHeld(lease)
        try run { () throws(SpoolError) in try journal.requeue(url: lease.url) }
    }

    public func state(of url: String) async throws(QueueError) -> URLState? {
        try run { () throws(SpoolError) in try journal.state(of: url) }
    }

    public func counts() async throws(QueueError) -> [URLState: Int] { try run(journal.counts) }

    public func activeCount(cap: Int) async throws(QueueError) -> Int {
        try run { () throws(SpoolError) in try journal.activeCount(cap: cap) }
    }

    public func nextDeferredTime() async throws(QueueError) -> Date? { try run(journal.nextDeferredTime) }

    public func close() async {}
}
