import Foundation
import Logging
import Synchronization
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool

/// The service's timing on a manual clock: backoff and retries happen at the clock's times, not
/// the machine's, so these tests do not depend on its load.
@Suite(.timeLimit(.minutes(1)))
struct ManualClockServiceTests {
    /// Counts fetches; the first `deferrals` answer 503 (deferred), later ones a page.
    final class Flaky: Sendable {
        private let fetches = Mutex(0)
        let deferrals: Int
        init(deferrals: Int) { self.deferrals = deferrals }
        var count: Int { fetches.withLock { $0 } }

        func answer(_ url: String) -> FetchOutcome {
            let n = fetches.withLock { n in defer { n += 1 }; return n }
            if n < deferrals { return .deferred(url: url, retryAt: .distantPast, failure: .http(status: 503)) }
            return StubFetcher.page(url, text: "The harbour ferry will run again from Monday, the port authority said after the storm.")
        }
    }

    func runOnce(_ spool: TestSpool, clock: ManualClock, fetcher: Flaky) async throws {
        try await spool.service(once: true, fetcher: { _, _ in StubFetcher { fetcher.answer($0) } }, clock: clock).run()
    }

    @Test func aDeferredURLIsRetriedExactlyWhenItsBackoffEnds() async throws {
        let spool = try TestSpool { $0.queue.backoffBaseSeconds = 30; $0.queue.backoffMaxSeconds = 30 }
        defer { spool.remove() }
        let clock = ManualClock()
        let fetcher = Flaky(deferrals: 1)
        try spool.drop("job", "https://flaky.example/a\n")
        try await runOnce(spool, clock: clock, fetcher: fetcher)
        let waiting = try #require(try spool.records(spool.layout.deferred).first)
        let next = try Date(#require(waiting.nextTry), strategy: .iso8601)
        #expect(abs(next.timeIntervalSince(clock.now()) - 30) < 1)
        #expect(fetcher.count == 1)
        // 29.5 s later it is still not due: --once leaves it waiting and does not fetch.
        clock.advance(by: 29.5)
        try await runOnce(spool, clock: clock, fetcher: fetcher)
        #expect(fetcher.count == 1)
        #expect(try spool.articles().isEmpty)
        // Past its time it is fetched again and delivered.
        clock.advance(by: 1)
        try await runOnce(spool, clock: clock, fetcher: fetcher)
        #expect(fetcher.count == 2)
        #expect(try spool.articles().map(\.url) == ["https://flaky.example/a"])
        #expect(try spool.records(spool.layout.deferred).isEmpty)
    }

    @Test func theBackoffDoublesBetweenTriesOnTheServiceClock() async throws {
        let spool = try TestSpool { $0.queue.backoffBaseSeconds = 10; $0.queue.backoffMaxSeconds = 100; $0.queue.maxAttempts = 5 }
        defer { spool.remove() }
        let clock = ManualClock()
        let fetcher = Flaky(deferrals: 2)
        try spool.drop("job", "https://flaky.example/b\n")
        try await runOnce(spool, clock: clock, fetcher: fetcher)
        var record = try #require(try spool.records(spool.layout.deferred).first)
        #expect(try abs(Date(#require(record.nextTry), strategy: .iso8601).timeIntervalSince(clock.now()) - 10) < 1)
        clock.advance(by: 11)
        try await runOnce(spool, clock: clock, fetcher: fetcher)
        record = try #require(try spool.records(spool.layout.deferred).first)
        #expect(record.attempts == 2)
        #expect(try abs(Date(#require(record.nextTry), strategy: .iso8601).timeIntervalSince(clock.now()) - 20) < 1)
        clock.advance(by: 21)
        try await runOnce(spool, clock: clock, fetcher: fetcher)
        #expect(fetcher.count == 3)
        #expect(try spool.articles().count == 1)
    }
}
