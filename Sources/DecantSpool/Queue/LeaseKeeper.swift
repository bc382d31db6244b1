import Foundation
import Synchronization

/// Keeps a node's leases from expiring while their pages are fetched and cleaned: every third of
/// `leaseSeconds` it renews all it holds in one call; a lease found lost (it expired and another node
/// took the URL) is dropped and reported, so the node does not try to record that URL's outcome.
package final class LeaseKeeper: Sendable {
    private let queue: any URLQueue
    private let clock: any ServiceClock
    /// Seconds between renewals: a third of the lease, so two renewals may fail before it expires.
    package let interval: Double
    private let held = Mutex<[String: QueueLease]>([:])

    package init(queue: any URLQueue, leaseSeconds: Double, clock: any ServiceClock = SystemClock()) {
        self.queue = queue
        self.clock = clock
        interval = max(0.1, leaseSeconds / 3)
    }

    /// Keeps `lease` alive until `release`.
    package func hold(_ lease: QueueLease) { held.withLock { $0[lease.url] = lease } }

    /// Stops renewing the URL's lease (its outcome is recorded, or it goes back to the queue).
    package func release(_ url: String) { _ = held.withLock { $0.removeValue(forKey: url) } }

    /// Leases held now.
    package var count: Int { held.withLock { $0.count } }

    /// One round: renews every lease held at `now`; returns the URLs whose lease was lost, no longer held.
    package func renew(now: Date) async throws(QueueError) -> [String] {
        let leases = held.withLock { Array($0.values) }
        guard !leases.isEmpty else { return [] }
        let lost = try await queue.renew(leases, now: now)
        held.withLock { map in for url in lost { map[url] = nil } }
        return lost
    }

    /// Renews every `interval` until the task is cancelled. `lost` hears of the URLs whose lease was
    /// lost; `failed` of a round that failed (the database down), tried again at the next tick.
    package func run(lost: @Sendable ([String]) -> Void, failed: @Sendable (QueueError) -> Void) async {
        var next = clock.now().addingTimeInterval(interval)
        while !Task.isCancelled {
            do { try await clock.sleep(until: next) } catch { return }
            let now = clock.now()
            guard now >= next else { continue }  // woken early: sleep the rest
            next = now.addingTimeInterval(interval)
            do {
                let gone = try await renew(now: now)
                if !gone.isEmpty { lost(gone) }
            } catch {
                failed(error)
            }
        }
    }
}
