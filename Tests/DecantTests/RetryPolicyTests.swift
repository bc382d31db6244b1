import Foundation
import Testing
@testable import DecantFetch

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesWithJitterAndStaysWithinTheMaximum() {
        let p = RetryPolicy(retries: 5, baseDelay: 0.5, maxDelay: 4)
        #expect(p.backoff(attempt: 0, random: 0) == 0.25)
        #expect(p.backoff(attempt: 0, random: 1) == 0.5)
        #expect(p.backoff(attempt: 2, random: 1) == 2)
        #expect(p.backoff(attempt: 2, random: 0) == 1)
        #expect(p.backoff(attempt: 10, random: 1) == 4)
        #expect(p.backoff(attempt: 1000, random: 0.5) == 3)
        for attempt in 0..<40 {
            let d = p.backoff(attempt: attempt)
            #expect(d >= 0 && d <= 4)
        }
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_445_412_000)  // Wed, 21 Oct 2015 07:20:00 GMT
        #expect(RetryPolicy.retryAfter("120", now: now) == 120)
        #expect(RetryPolicy.retryAfter(" 0 ", now: now) == 0)
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 480)
        #expect(RetryPolicy.retryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == 480)
        #expect(RetryPolicy.retryAfter("Wed Oct 21 07:28:00 2015", now: now) == 480)
        #expect(RetryPolicy.retryAfter("Tue, 20 Oct 2015 07:28:00 GMT", now: now) == 0, "a past date means now")
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfter("-5", now: now) == nil)
        #expect(RetryPolicy.retryAfter("", now: now) == nil)
    }

    @Test func onlyTimeoutsConnectionErrors5xxAnd429And408AreTemporary() {
        #expect(FetchFailure.http(status: 503).isTemporary)
        #expect(FetchFailure.http(status: 500).isTemporary)
        #expect(FetchFailure.http(status: 429).isTemporary)
        #expect(FetchFailure.http(status: 408).isTemporary)
        #expect(!FetchFailure.http(status: 404).isTemporary)
        #expect(!FetchFailure.http(status: 410).isTemporary)
        #expect(!FetchFailure.http(status: 403).isTemporary)
        #expect(FetchFailure.timeout("x").isTemporary)
        #expect(FetchFailure.connection("x").isTemporary)
        #expect(!FetchFailure.bodyTooLarge(limit: 1).isTemporary)
        #expect(!FetchFailure.refusedAddress(address: "10.0.0.1", kind: "private").isTemporary)
    }
}
