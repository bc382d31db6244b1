import Foundation
import Testing
@testable import DecantCore
@testable import DecantSpool

struct BackoffTests {
    var backoff: Backoff {
        var q = QueueConfig()
        q.backoffBaseSeconds = 60
        q.backoffMaxSeconds = 600
        q.maxAttempts = 5
        return Backoff(q)
    }

    @Test func delaysDoubleFromTheBaseUpToTheCap() {
        #expect((1...6).map { backoff.delay(afterAttempt: $0) } == [60, 120, 240, 480, 600, 600])
    }

    @Test func theServersRetryAfterWinsWhenItIsLater() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let server = now.addingTimeInterval(3600)
        #expect(backoff.decide(attempts: 1, serverRetryAt: server, now: now) == .retry(at: server))
        #expect(backoff.decide(attempts: 1, serverRetryAt: now, now: now) == .retry(at: now.addingTimeInterval(60)))
    }

    @Test func theLastAttemptGivesUp() {
        #expect(backoff.decide(attempts: 5, serverRetryAt: nil) == .giveUp)
        #expect(backoff.decide(attempts: 4, serverRetryAt: nil) != .giveUp)
    }

    @Test func hugeAttemptCountsDoNotOverflow() {
        #expect(backoff.delay(afterAttempt: 10_000) == 600)
    }
}
