import Foundation
import Logging
import Synchronization
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool

/// The service ends when it should: a cancelled service stops at once instead of spinning, and a job
/// file stamped ahead of the service's clock does not keep `--once` waiting for that time.
@Suite(.timeLimit(.minutes(1)))
struct ServiceEndTests {
    /// A fetch that lasts until its task is cancelled, then answers as the real fetcher does.
    final class EndlessFetcher: PageFetching {
        private let count = Mutex(0)
        var started: Int { count.withLock { $0 } }

        func fetch(_ url: String) async -> FetchOutcome {
            count.withLock { $0 += 1 }
            try? await Task.sleep(for: .seconds(3600))
            return .deferred(url: url, retryAt: .distantPast, failure: .cancelled)
        }
    }

    final class Ended: Sendable {
        private let flag = Mutex(false)
        var value: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }

    /// Waits up to `seconds` for `task` to end; true when it did.
    func ends(_ task: Task<Void, any Error>, within seconds: Double) async -> Bool {
        let ended = Ended()
        let watcher = Task { _ = try? await task.value; ended.set() }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if ended.value { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        watcher.cancel()
        return ended.value
    }

    @Test func aCancelledServiceStopsAtOnceAndReturnsItsPagesToTheQueue() async throws {
        // A grace period far longer than the test: cancellation must not wait for it.
        let spool = try TestSpool { $0.queue.shutdownGraceSeconds = 600 }
        defer { spool.remove() }
        try spool.drop("job", "https://slow.example/a\n")
        let fetcher = EndlessFetcher()
        let service = spool.service(once: false, fetcher: { _, _ in fetcher })
        let task = Task { try await service.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while fetcher.started == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(fetcher.started == 1)
        task.cancel()
        #expect(await ends(task, within: 10), "the cancelled service is still running")
        #expect(try Journal(path: spool.layout.journal).state(of: "https://slow.example/a") == .pending)
    }

    @Test func aJobFileStampedAheadOfTheServiceClockIsReadWithoutWaitingForThatTime() async throws {
        let spool = try TestSpool { $0.queue.stableSeconds = 1 }
        defer { spool.remove() }
        // The service's clock is an hour behind the file's stamp and only moves when the file's
        // stable time is slept for (a manual clock would wait for ever for the stamp).
        let clock = ManualClock(Date().addingTimeInterval(-3600))
        try spool.drop("job", "https://ahead.example/a\n")
        let advancer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                clock.advance(by: 0.25)
            }
        }
        defer { advancer.cancel() }
        let service = spool.service(once: true, fetcher: { _, _ in
            StubFetcher { StubFetcher.page($0, text: "The ferry will run again from Monday, the port authority said after the storm.") }
        }, clock: clock)
        let task = Task { try await service.run() }
        #expect(await ends(task, within: 20), "--once is still waiting for the file's stamp")
        task.cancel()
        #expect(try spool.articles().map(\.url) == ["https://ahead.example/a"])
    }
}
