import Foundation
import Testing
import DecantCore
@testable import DecantSpool
import DecantPostgres

/// One spool queue store shared by the nodes a test opens: a journal file (`sqlite`) or a
/// database of its own in the test cluster (`postgres`).
final class QueueStore: @unchecked Sendable {
    let backend: QueueBackend
    private let folder: String
    private let database: PostgresTestDatabase?
    private var opened: [any URLQueue] = []

    private init(backend: QueueBackend, folder: String, database: PostgresTestDatabase?) {
        self.backend = backend
        self.folder = folder
        self.database = database
    }

    static func make(_ backend: QueueBackend) async throws -> QueueStore {
        let folder = NSTemporaryDirectory() + "decant-queue-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = backend == .postgres ? try await PostgresTestDatabase.create() : nil
        return QueueStore(backend: backend, folder: folder, database: database)
    }

    /// A node of the store (for `sqlite`, another opening of the same journal file).
    func node(_ name: String = "node-a", leaseSeconds: Double = 60, now: Date = Date()) async throws -> any URLQueue {
        let queue: any URLQueue = switch backend {
        case .sqlite: try SQLiteURLQueue(path: folder + "/state.sqlite", articleExists: { _ in false })
        case .postgres: try await database!.open(node: name, leaseSeconds: leaseSeconds, now: now)
        }
        opened.append(queue)
        return queue
    }

    /// Runs `body` with a new store of `backend`, closed afterwards whether `body` threw or not.
    static func with<T>(_ backend: QueueBackend, _ body: (QueueStore) async throws -> T) async throws -> T {
        let store = try await make(backend)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }

    func close() async {
        for queue in opened { await queue.close() }
        await database?.drop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// The queue contract: the same scenarios and assertions for every backend (`queue.backend`).
/// The PostgreSQL cases run when `DECANT_TEST_POSTGRES_URL` names a cluster, as `scripts/test.sh` provides.
@Suite struct QueueContractTests {
    static let backends: [QueueBackend] = PostgresTestDatabase.url == nil ? [.sqlite] : QueueBackend.allCases
    /// Now: the journal stamps some rows with the clock, not the time it is given.
    let t0 = Date()

    static func lines(_ urls: [String]) -> [(url: String, line: Int)] { urls.enumerated().map { ($1, $0 + 1) } }

    @Test func thePostgresBackendIsPartOfTheContractRun() throws {
        if PostgresTestDatabase.url == nil { try Test.cancel(PostgresTestDatabase.skipReason) }
        #expect(Self.backends == [.sqlite, .postgres])
    }

    @Test(arguments: backends)
    func enqueuedURLsAreLeasedOnceEachInOrderAndTheJobsReadPositionIsStored(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            try await queue.addJob("a.txt")
            let result = try await queue.enqueue(job: "a.txt", urls: Self.lines(["https://a.test/1", "https://a.test/2",
                                                                                 "https://b.test/3"]),
                                                 offset: 120, lines: 3, windowHours: 24, now: t0)
            #expect(result == Journal.IngestResult(queued: 3))
            #expect(try await queue.jobs() == [Journal.JobRecord(name: "a.txt", offset: 120, lines: 3)])
            let first = try await queue.lease(limit: 2, now: t0)
            #expect(first.map(\.url) == ["https://a.test/1", "https://a.test/2"])
            #expect(first.allSatisfy { $0.attempts == 0 && $0.articleId == nil })
            #expect(try await queue.lease(limit: 10, now: t0).map(\.url) == ["https://b.test/3"])
            #expect(try await queue.lease(limit: 10, now: t0).isEmpty)
            #expect(try await queue.counts() == [.inflight: 3])
            #expect(try await queue.activeCount(cap: 2) == 2)
            try await queue.removeJob("a.txt")
            #expect(try await queue.jobs().isEmpty)
        }
    }

    @Test(arguments: backends)
    func aURLListedTwiceIsMergedAndOneDeliveredWithinTheWindowIsNotFetchedAgain(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            let url = "https://a.test/story"
            var result = try await queue.enqueue(job: "j", urls: Self.lines([url, url]), offset: 0, lines: 2,
                                                 windowHours: 24, now: t0)
            #expect(result == Journal.IngestResult(queued: 1, merged: 1))
            let lease = try #require(try await queue.lease(limit: 5, now: t0).first)
            result = try await queue.enqueue(job: "k", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            #expect(result == Journal.IngestResult(merged: 1), "in flight: merged")
            try await queue.delivered(lease, status: 200, now: t0)
            #expect(try await queue.state(of: url) == .delivered)
            result = try await queue.enqueue(job: "k", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 24,
                                             now: t0.addingTimeInterval(3600))
            #expect(result == Journal.IngestResult(recent: 1))
            result = try await queue.enqueue(job: "k", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 24,
                                             now: t0.addingTimeInterval(25 * 3600))
            #expect(result == Journal.IngestResult(queued: 1), "outside the window: fetched again")
            #expect(try await queue.state(of: url) == .pending)
        }
    }

    @Test(arguments: backends)
    func aFailedURLQueuedAgainAfterTheWindowIsReportedForItsStaleRecord(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            let url = "https://a.test/gone"
            _ = try await queue.enqueue(job: "j", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 1, now: t0)
            let lease = try #require(try await queue.lease(limit: 1, now: t0).first)
            try await queue.failed(lease, attempts: 1, status: 404, error: "HTTP 404", now: t0)
            try await queue.settled(url: url)
            #expect(try await queue.counts() == [.failed: 1])
            let result = try await queue.enqueue(job: "k", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 1,
                                                 now: t0.addingTimeInterval(2 * 3600))
            #expect(result == Journal.IngestResult(queued: 1, requeuedFailedURLs: [url]))
        }
    }

    @Test(arguments: backends)
    func aDeferredURLIsLeasedAgainOnlyFromItsNextTryWithItsAttempts(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            let url = "https://a.test/busy"
            _ = try await queue.enqueue(job: "j", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            let lease = try #require(try await queue.lease(limit: 1, now: t0).first)
            let next = t0.addingTimeInterval(60)
            try await queue.deferred(lease, attempts: 1, nextTry: next, status: 503, error: "HTTP 503", now: t0)
            try await queue.settled(url: url)
            #expect(try await queue.state(of: url) == .deferred)
            // Times round-trip at the backend's precision (PostgreSQL keeps microseconds).
            let due = try #require(try await queue.nextDeferredTime())
            #expect(abs(due.timeIntervalSince(next)) < 0.001)
            #expect(try await queue.lease(limit: 5, now: t0.addingTimeInterval(30)).isEmpty)
            let again = try await queue.lease(limit: 5, now: t0.addingTimeInterval(61))
            #expect(again.map(\.url) == [url])
            #expect(again.first?.attempts == 1)
            #expect(try await queue.nextDeferredTime() == nil)
        }
    }

    @Test(arguments: backends)
    func dueRetriesTakeHalfOfABatchAheadOfNewURLs(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            let old = (1...4).map { "https://a.test/old\($0)" }, new = (1...4).map { "https://b.test/new\($0)" }
            _ = try await queue.enqueue(job: "j", urls: Self.lines(old), offset: 0, lines: 4, windowHours: 24, now: t0)
            for lease in try await queue.lease(limit: 4, now: t0) {
                try await queue.deferred(lease, attempts: 1, nextTry: t0.addingTimeInterval(1), status: 503,
                                         error: "HTTP 503", now: t0)
                try await queue.settled(url: lease.url)
            }
            _ = try await queue.enqueue(job: "k", urls: Self.lines(new), offset: 0, lines: 4, windowHours: 24, now: t0)
            let batch = try await queue.lease(limit: 4, now: t0.addingTimeInterval(2)).map(\.url)
            #expect(batch.filter { old.contains($0) }.count == 2)
            #expect(batch.filter { new.contains($0) } == Array(new.prefix(2)))
        }
    }

    @Test(arguments: backends)
    func aRequeuedURLIsLeasedAgainWithoutCountingAnAttempt(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            _ = try await queue.enqueue(job: "j", urls: Self.lines(["https://a.test/x"]), offset: 0, lines: 1,
                                        windowHours: 24, now: t0)
            let lease = try #require(try await queue.lease(limit: 1, now: t0).first)
            try await queue.requeue(lease, now: t0)
            #expect(try await queue.state(of: lease.url) == .pending)
            let again = try await queue.lease(limit: 1, now: t0)
            #expect(again.map(\.url) == [lease.url])
            #expect(again.first?.attempts == 0)
        }
    }

    @Test(arguments: backends)
    func anOutcomeForAURLThatIsNotLeasedIsRefusedAndChangesNothing(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let queue = try await store.node()
            let url = "https://a.test/y"
            _ = try await queue.enqueue(job: "j", urls: Self.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            let lease = try #require(try await queue.lease(limit: 1, now: t0).first)
            try await queue.requeue(lease, now: t0)
            await #expect(throws: QueueError.leaseLost(url: url)) { try await queue.delivered(lease, status: 200, now: t0) }
            await #expect(throws: QueueError.leaseLost(url: url)) {
                try await queue.failed(lease, attempts: 1, status: 404, error: "x", now: t0)
            }
            #expect(try await queue.state(of: url) == .pending)
            #expect(try await queue.renew([lease], now: t0) == [url])
        }
    }

    @Test(arguments: backends)
    func afterACrashTheNodesURLsInFlightAreLeasedAgainAtItsRestart(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let crashed = try await store.node("node-a")
            _ = try await crashed.enqueue(job: "j", urls: Self.lines(["https://a.test/1", "https://a.test/2"]),
                                          offset: 0, lines: 2, windowHours: 24, now: t0)
            #expect(try await crashed.lease(limit: 5, now: t0).count == 2)
            // kill -9: nothing is returned; the restarted node finds its leases.
            let restarted = try await store.node("node-a")
            #expect(try await restarted.recover(now: t0) == 2)
            let again = try await restarted.lease(limit: 5, now: t0)
            #expect(Set(again.map(\.url)) == ["https://a.test/1", "https://a.test/2"])
            #expect(again.allSatisfy { $0.attempts == 0 })
        }
    }

    @Test(arguments: backends)
    func aRenewedLeaseIsNotHandedToAnotherNode(_ backend: QueueBackend) async throws {
        try await QueueStore.with(backend) { store in
            let a = try await store.node("node-a", leaseSeconds: 10), b = try await store.node("node-b", leaseSeconds: 10)
            _ = try await a.enqueue(job: "j", urls: Self.lines(["https://a.test/slow"]), offset: 0, lines: 1,
                                    windowHours: 24, now: t0)
            let lease = try #require(try await a.lease(limit: 1, now: t0).first)
            #expect(try await a.renew([lease], now: t0.addingTimeInterval(8)) == [])
            #expect(try await b.lease(limit: 1, now: t0.addingTimeInterval(15)).isEmpty)
            try await a.delivered(lease, status: 200, now: t0.addingTimeInterval(16))
            #expect(try await b.state(of: lease.url) == .delivered)
        }
    }
}
