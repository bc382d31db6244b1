import Foundation
import Synchronization
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool

/// Where the service's work runs: blocking spool I/O on the one `SpoolIO` thread, the curl loop
/// on a thread that lives inside the fetcher's `run()`.
@Suite(.timeLimit(.minutes(1)))
struct SpoolThreadsTests {
    @Test func spoolIOJobsRunOnItsOneThreadNotTheCooperativePool() async {
        let io = SpoolIO()
        defer { io.shutdown() }
        let outside = SpoolIO.isCurrentThread
        let inside = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { await io.run { SpoolIO.isCurrentThread } } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(inside == Array(repeating: true, count: 8))
        #expect(!outside)
    }

    @Test func aJobGivenToSpoolIOAfterItsShutdownStillRuns() async throws {
        let io = SpoolIO(maxThreads: 1)
        #expect(await io.run { 1 } == 1)
        io.shutdown()
        try await Task.sleep(for: .milliseconds(100))  // its thread has ended
        // Before the fix the ended thread still counted: the job waited for good.
        #expect(await Self.within(seconds: 10) { await io.run { 2 } } == 2)
    }

    @Test func aPageGivenToTheExtractionPoolAfterItsShutdownStillRuns() async throws {
        let pool = ExtractionPool(threads: 1)
        #expect(await pool.run { 1 } == 1)
        pool.shutdown()
        try await Task.sleep(for: .milliseconds(100))
        #expect(await Self.within(seconds: 10) { await pool.run { 2 } } == 2)
    }

    /// `body`'s value, or nil when it has not returned within `seconds` (it is then left running).
    static func within<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async -> T?) async -> T? {
        let result = Mutex<T??>(nil)
        let task = Task { let value = await body(); result.withLock { $0 = .some(value) } }
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            if let value = result.withLock({ $0 }) { return value }
            try? await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        return nil
    }

    @Test func theServiceOpensItsSpoolAndLoopsOnTheSpoolIOThread() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let seen = LogCapture()
        try spool.drop("job", "https://threads.example/a\n")
        try await spool.runOnce(fetcher: { _, _ in
            seen.append("\(SpoolIO.isCurrentThread)")  // made in the runner's init, on the loop's executor
            return StubFetcher { StubFetcher.page($0, text: "The library opens a new reading room on the second floor this week.") }
        })
        #expect(seen.lines == ["true"])
        #expect(try spool.articles().count == 1)
    }

    @Test func aFetchMadeBeforeRunWaitsForItAndRunEndsAfterFinish() async throws {
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("decant-run-\(UUID().uuidString).html")
        try Data("<html><body><p>Served once the curl thread runs.</p></body></html>".utf8).write(to: page)
        defer { try? FileManager.default.removeItem(at: page) }
        var config = FetcherTests.config()
        config.allowFileUrls = true
        let fetcher = Fetcher(config: config)
        let early = Task { await fetcher.fetch(page.absoluteString) }
        try await Task.sleep(for: .milliseconds(100))
        let outcome = await fetcher.serving { await early.value }
        #expect(outcome.kind == "fetched", "\(outcome.reason)")
        // `serving` returned, so `run()` did: the loop thread is gone and later fetches are cancelled.
        let late = await fetcher.fetch(page.absoluteString)
        #expect(late.kind == "deferred" && late.reason == "cancelled", "\(late.reason)")
    }

    @Test func cancellingRunEndsATransferUnderWay() async throws {
        let server = try #require(FaultServer.shared)
        let fetcher = Fetcher(config: FetcherTests.config { $0.timeoutSeconds = 30; $0.lowSpeedSeconds = 30 })
        let running = Task { await fetcher.run() }
        let started = ContinuousClock.now
        let fetch = Task { await fetcher.fetch(server.url("/never")) }
        try await Task.sleep(for: .milliseconds(200))
        running.cancel()
        await running.value
        let outcome = await fetch.value
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(outcome.kind == "deferred" && outcome.reason == "cancelled", "\(outcome.reason)")
    }
}
