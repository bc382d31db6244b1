import Foundation
import Testing
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool
import DecantTestSupport

/// Durations from settings and servers never trap when converted or added (issue 7, item 1).
@Suite(.timeLimit(.minutes(1)))
struct SaturatingTimeTests {
    @Test func conversionsSaturateInsteadOfTrapping() {
        #expect(SaturatingTime.milliseconds(1e300) == Int.max)
        #expect(SaturatingTime.milliseconds(1e19) == Int.max)
        #expect(SaturatingTime.milliseconds(.infinity) == Int.max)
        #expect(SaturatingTime.milliseconds(.nan) == 0)
        #expect(SaturatingTime.milliseconds(-5) == 0)
        #expect(SaturatingTime.milliseconds(0.0001) == 1)
        #expect(SaturatingTime.milliseconds(2.5) == 2500)
        #expect(SaturatingTime.wholeSeconds(1e19) == Int.max)
        #expect(SaturatingTime.wholeSeconds(0.2) == 1)
        #expect(SaturatingTime.nanoseconds(1e11) == .max)
        #expect(SaturatingTime.nanoseconds(1.5) == 1_500_000_000)
        #expect(SaturatingTime.nanoseconds(-1) == 0)
        #expect(SaturatingTime.adding(.max - 1, 5) == .max)
        #expect(SaturatingTime.multiplying(.max, 2) == .max)
    }

    @Test func curlOptionsFromHugeTimeoutsDoNotTrap() {
        var config = FetchConfig()
        config.timeoutSeconds = 1e300
        config.connectTimeoutSeconds = 1e19
        config.lowSpeedSeconds = 1e19
        let options = CurlMulti.Options(config)
        #expect(options.timeoutMs == Int.max)
        #expect(options.connectTimeoutMs == Int.max)
        #expect(options.lowSpeedTime == Int.max)
    }

    @Test func aHostDelayAsLongAsTimeItselfDoesNotWrapAround() {
        var s = HostScheduler<Int>(globalLimit: 10, perHostLimit: 10)
        s.enqueue(1, host: "a", delay: .max)
        s.enqueue(2, host: "a", delay: .max)
        #expect(s.next(now: 5_000)?.item == 1)
        // A wrapped `now + delay` would let the second request start at once.
        #expect(s.next(now: 5_001) == nil)
        #expect(s.nextWake(now: 5_001) == .max)
    }

    @Test func aServerAskingToWaitForCenturiesIsCappedAtThirtyDays() {
        var queue = QueueConfig()
        queue.backoffBaseSeconds = 60
        let now = Date(timeIntervalSince1970: 1_000_000)
        let decision = Backoff(queue).decide(attempts: 1, serverRetryAt: .distantFuture, now: now)
        #expect(decision == .retry(at: now.addingTimeInterval(Backoff.longestServerWait)))
    }

    @Test func aHugePerHostDelayDoesNotCrashTheFirstFetch() async throws {
        let server = try #require(FaultServer.shared)
        var config = FetcherTests.config()
        config.perHostDelayMs = 100_000_000_000_000  // 1e14 ms: 1e20 ns does not fit in 64 bits
        let fetcher = RunningFetcher(config: config)
        let outcome = await fetcher.fetch(server.url("/ok"))
        #expect(outcome.kind == "fetched", "\(outcome.reason)")
    }

    @Test func aHugeRetryDelayOnA503NeitherCrashesNorSpins() async throws {
        let server = try #require(FaultServer.shared)
        var config = FetcherTests.config()
        config.retries = 1
        config.retryBaseDelayMs = 100_000_000_000_000
        config.retryMaxDelayMs = 100_000_000_000_000
        let fetcher = RunningFetcher(config: config)
        let url = server.url("/status/503?n=huge-retry")
        let task = Task { await fetcher.fetch(url) }
        try await Task.sleep(for: .milliseconds(800))
        task.cancel()  // the retry would wait ~3,000 years: cancelling ends the wait
        let outcome = await task.value
        #expect(outcome.kind == "deferred", "\(outcome.reason)")
    }
}
