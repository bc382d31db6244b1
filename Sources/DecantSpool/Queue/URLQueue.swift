import Foundation
import DecantCore

/// What the spool needs from its queue, whichever engine holds it (`queue.backend`): batches in
/// with the job file's read position, leases out, and the outcome of every lease.
///
/// Every backend passes the same contract tests (Tests/DecantTests/QueueContractTests.swift).
public protocol URLQueue: AnyObject, Sendable {
    /// The engine behind this queue.
    var backend: QueueBackend { get }

    /// At start: this node's leases from before a crash go back to the queue (no attempt counted).
    func recover(now: Date) async throws(QueueError) -> Int

    /// Queues a batch of URLs read from `job` and stores the job's read position with it, in one
    /// transaction; a URL queued or in flight is merged, one done within `windowHours` is not fetched again.
    func enqueue(job: String, urls: [(url: String, line: Int)], offset: Int, lines: Int, windowHours: Double,
                 now: Date) async throws(QueueError) -> Journal.IngestResult

    /// The job files this node has claimed and how far each has been read.
    func jobs() async throws(QueueError) -> [Journal.JobRecord]

    /// Records a job file just claimed (nothing read yet).
    func addJob(_ name: String) async throws(QueueError)

    /// Forgets a job file read to its end.
    func removeJob(_ name: String) async throws(QueueError)

    /// Leases up to `limit` due URLs: due retries get up to half of the batch first, then queued URLs.
    func lease(limit: Int, now: Date) async throws(QueueError) -> [QueueLease]

    /// Extends the leases still held by `leaseSeconds` from `now`; returns the URLs whose lease was lost.
    func renew(_ leases: [QueueLease], now: Date) async throws(QueueError) -> [String]

    /// The URL's article is delivered; throws `leaseLost` (changing nothing) when the lease is gone.
    func delivered(_ lease: QueueLease, status: Int, now: Date) async throws(QueueError)

    /// A temporary failure: leased again from `nextTry` on (after `settled` where the backend keeps files).
    func deferred(_ lease: QueueLease, attempts: Int, nextTry: Date, status: Int, error: String,
                  now: Date) async throws(QueueError)

    /// A permanent failure.
    func failed(_ lease: QueueLease, attempts: Int, status: Int, error: String, now: Date) async throws(QueueError)

    /// The URL's deferred/ or failed/ file is written (a no-op where the backend keeps no such files).
    func settled(url: String) async throws(QueueError)

    /// Puts a leased URL back without counting an attempt (shutdown, cancellation).
    func requeue(_ lease: QueueLease, now: Date) async throws(QueueError)

    /// The state of one URL, nil when unknown.
    func state(of url: String) async throws(QueueError) -> URLState?

    /// The number of URLs in each state.
    func counts() async throws(QueueError) -> [URLState: Int]

    /// URLs queued or in flight, counted up to `cap`.
    func activeCount(cap: Int) async throws(QueueError) -> Int

    /// When the next deferred URL is due, if any waits.
    func nextDeferredTime() async throws(QueueError) -> Date?

    /// Closes connections; the queue is not used afterwards.
    func close() async
}
