import Foundation
import Testing
import Synchronization
import DecantCore
@testable import DecantSpool
import DecantPostgres
import PostgresNIO

/// Leases renewed while a page is in flight stay with their node; released or lost ones do not.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(2)))
struct LeaseKeeperTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let url = "https://slow.test/page"

    @Test func aHeldLeaseOutlivesItsSecondsAReleasedOneExpiresAndALostOneIsReportedOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a", leaseSeconds: 10), b = try await database.open(node: "b", leaseSeconds: 10)
            _ = try await a.enqueue(job: "j", urls: PostgresQueueTests.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            let lease = try #require(try await a.lease(limit: 1, now: t0).first)
            let keeper = LeaseKeeper(queue: a, leaseSeconds: 10, clock: ManualClock(t0))
            keeper.hold(lease)
            #expect(try await keeper.renew(now: t0.addingTimeInterval(8)) == [])
            #expect(try await b.lease(limit: 1, now: t0.addingTimeInterval(15)).isEmpty, "renewed until t0 + 18")
            keeper.release(url)
            #expect(try await keeper.renew(now: t0.addingTimeInterval(16)) == [], "nothing held, nothing renewed")
            let taken = try #require(try await b.lease(limit: 1, now: t0.addingTimeInterval(19)).first)
            #expect(taken.url == url)
            keeper.hold(lease)  // a's old lease: b holds the URL now
            #expect(try await keeper.renew(now: t0.addingTimeInterval(20)) == [url])
            #expect(keeper.count == 0)
            #expect(try await keeper.renew(now: t0.addingTimeInterval(21)) == [], "reported once")
        }
    }

    @Test func theKeeperRenewsOnEveryThirdOfTheLeaseByItsClock() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a", leaseSeconds: 9), b = try await database.open(node: "b", leaseSeconds: 9)
            _ = try await a.enqueue(job: "j", urls: PostgresQueueTests.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            let lease = try #require(try await a.lease(limit: 1, now: t0).first)
            let clock = ManualClock(t0)
            let keeper = LeaseKeeper(queue: a, leaseSeconds: 9, clock: clock)
            #expect(keeper.interval == 3)
            keeper.hold(lease)
            let running = Task { await keeper.run(lost: { _ in }, failed: { _ in }) }
            defer { running.cancel() }
            // Four ticks: the lease taken at t0 for 9 s is renewed each time, to the last tick + 9.
            for tick in 1...4 {
                #expect(await clock.someoneSleeps(), "the keeper waits on the clock")
                clock.advance(by: 3)
                let until = t0.addingTimeInterval(Double(3 * tick + 9)).timeIntervalSince1970
                #expect(await Self.leaseUntil(url, in: database.name, reaches: until), "tick \(tick)")
            }
            #expect(try await b.lease(limit: 1, now: t0.addingTimeInterval(20)).isEmpty, "held past its first 9 s")
            running.cancel()
            await running.value
        }
    }

    /// Waits up to ten seconds for the URL's `lease_until` to reach `until`.
    static func leaseUntil(_ url: String, in database: String, reaches until: Double) async -> Bool {
        let end = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < end {
            let value = try? await PostgresTestDatabase.admin(database: database) { client in
                try await client.query("SELECT lease_until FROM urls WHERE url = \(url)").decode(Double?.self).array()
            }
            if let current = value?.first ?? nil, current >= until - 0.001 { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
