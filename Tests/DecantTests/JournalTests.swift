import Foundation
import Testing
@testable import Decant

struct JournalTests {
    let journal: Journal

    init() throws { journal = try Journal(path: ":memory:") }

    func queue(_ urls: [String], windowHours: Double = 24, now: Date = Date()) throws -> Journal.IngestResult {
        try journal.addJob("job")
        return try journal.ingest(job: "job", urls: urls.enumerated().map { ($1, $0 + 1) }, offset: 10,
                                  lines: urls.count, windowHours: windowHours, now: now)
    }

    @Test func ingestingMovesTheJobsReadPosition() throws {
        _ = try queue(["https://a.example/1", "https://a.example/2"])
        #expect(try journal.jobs() == [Journal.JobRecord(name: "job", offset: 10, lines: 2)])
        #expect(try journal.counts() == ["pending": 2])
    }

    @Test func aURLQueuedTwiceIsFetchedOnce() throws {
        let result = try queue(["https://a.example/1", "https://a.example/1"])
        #expect(result.queued == 1)
        #expect(result.merged == 1)
        #expect(try journal.lease(limit: 10).count == 1)
    }

    @Test func recoveryPutsInFlightURLsBackInTheQueue() throws {
        _ = try queue(["https://a.example/1", "https://a.example/2"])
        #expect(try journal.lease(limit: 10).count == 2)
        #expect(try journal.lease(limit: 10).isEmpty)
        let recovery = try journal.recover(articleExists: { _ in false })
        #expect(recovery.requeued == 2)
        #expect(try journal.lease(limit: 10).count == 2)
    }

    @Test func recoveryCompletesADeliveryWhoseFileWasRenamed() throws {
        _ = try queue(["https://a.example/1", "https://a.example/2"])
        _ = try journal.lease(limit: 10)
        _ = try journal.beginDelivery(url: "https://a.example/1", articleId: "id1", fingerprint: "f1")
        _ = try journal.beginDelivery(url: "https://a.example/2", articleId: "id2", fingerprint: "f2")
        let recovery = try journal.recover(articleExists: { $0 == "id1" })
        #expect(recovery.delivered == 1)
        #expect(recovery.requeued == 1)
        #expect(try journal.state(of: "https://a.example/1") == "delivered")
        #expect(try journal.state(of: "https://a.example/2") == "pending")
    }

    @Test func aURLDeliveredWithinTheWindowIsNotFetchedAgain() throws {
        _ = try queue(["https://a.example/1"])
        _ = try journal.lease(limit: 1)
        try journal.delivered(url: "https://a.example/1")
        let again = try queue(["https://a.example/1"])
        #expect(again.recent == 1 && again.queued == 0)
        let later = try queue(["https://a.example/1"], now: Date().addingTimeInterval(25 * 3600))
        #expect(later.queued == 1)
    }

    @Test func theSameFingerprintMarksALaterArticleAsADuplicate() throws {
        _ = try queue(["https://a.example/1", "https://b.example/1"])
        _ = try journal.lease(limit: 2)
        #expect(try journal.beginDelivery(url: "https://a.example/1", articleId: "a", fingerprint: "same") == nil)
        #expect(try journal.beginDelivery(url: "https://b.example/1", articleId: "b", fingerprint: "same") == "a")
        // Delivering the first one again (after a crash) is not a duplicate of itself.
        #expect(try journal.beginDelivery(url: "https://a.example/1", articleId: "a", fingerprint: "same") == nil)
    }

    @Test func deferredURLsAreLeasedOnlyWhenDue() throws {
        _ = try queue(["https://a.example/1"])
        _ = try journal.lease(limit: 1)
        let due = Date().addingTimeInterval(60)
        try journal.deferred(url: "https://a.example/1", attempts: 1, nextTry: due, status: 503, error: "HTTP 503")
        try journal.settled(url: "https://a.example/1")
        #expect(try journal.lease(limit: 1).isEmpty)
        #expect(try journal.nextDeferredTime() == Date(timeIntervalSince1970: due.timeIntervalSince1970))
        let leased = try journal.lease(limit: 1, now: due.addingTimeInterval(1))
        #expect(leased.map(\.attempts) == [1])
    }

    @Test func unsettledRowsAreListedUntilTheirFileIsWritten() throws {
        _ = try queue(["https://a.example/1"])
        _ = try journal.lease(limit: 1)
        try journal.failed(url: "https://a.example/1", attempts: 1, status: 404, error: "HTTP 404 Not Found")
        #expect(try journal.unsettled().map(\.url) == ["https://a.example/1"])
        try journal.settled(url: "https://a.example/1")
        #expect(try journal.unsettled().isEmpty)
        #expect(try journal.recentFailures().first?.reason == "HTTP 404 Not Found")
    }
}

struct ClaimTests {
    @Test func onlyFilesStableLongEnoughAreClaimed() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("old", "https://a.example/1\n")
        try spool.drop(".hidden", "https://a.example/2\n")
        let old = Date().addingTimeInterval(-10)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: "\(spool.layout.inbox)/old")
        try spool.drop("fresh", "https://a.example/3\n")
        let scan = Claim(layout: spool.layout).scan(stableSeconds: 5)
        #expect(scan.ready == ["old"])
        #expect(scan.waiting == 1)
        #expect(scan.nextStable != nil)
    }

    @Test func aClaimMovesTheFileAndAvoidsNameClashes() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let claim = Claim(layout: spool.layout)
        try spool.drop("job", "a\n")
        #expect(try claim.claim("job") == "job")
        try spool.drop("job", "b\n")
        #expect(try claim.claim("job") == "job.2")
        #expect(try claim.claim("vanished") == nil)
        #expect(SpoolLayout.visibleNames(in: spool.layout.work) == ["job", "job.2"])
        #expect(SpoolLayout.visibleNames(in: spool.layout.inbox).isEmpty)
    }
}

struct EnqueueTests {
    @Test func enqueueWritesOneJobFileIntoTheInboxThroughTmp() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        var lines = ["https://a.example/1", "", "# note", "https://a.example/2"].makeIterator()
        let result = try SpoolEnqueue.write(to: spool.layout) { lines.next() }
        #expect(result.count == 2)
        let path = try #require(result.path)
        #expect(path.hasPrefix(spool.layout.inbox + "/"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "https://a.example/1\nhttps://a.example/2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.layout.tmp).isEmpty)
    }

    @Test func enqueueWithoutURLsWritesNothing() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let result = try SpoolEnqueue.write(to: spool.layout) { nil }
        #expect(result.path == nil)
        #expect(SpoolLayout.visibleNames(in: spool.layout.inbox).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.layout.tmp).isEmpty)
    }
}

struct SpoolStatusTests {
    @Test func statusCountsFoldersAndStatesAndRendersPrometheus() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("job", "https://a.example/1\n")
        let journal = try Journal(path: spool.layout.journal)
        try journal.addJob("j")
        _ = try journal.ingest(job: "j", urls: [("https://a.example/9", 1)], offset: 1, lines: 1, windowHours: 1)
        _ = try journal.lease(limit: 1)
        try journal.delivered(url: "https://a.example/9")
        let status = SpoolStatus.collect(layout: spool.layout, journal: journal)
        #expect(status.folders["inbox"] == 1)
        #expect(status.folders["out"] == 0)
        #expect(status.urls["delivered"] == 1)
        #expect(status.pagesPerMinute["1m"] == 1)
        #expect(status.prometheus.contains("decant_spool_files{folder=\"inbox\"} 1"))
        #expect(status.prometheus.contains("decant_urls{state=\"delivered\"} 1"))
        #expect(status.text.contains("inbox 1"))
        status.write(to: spool.layout)
        let decoded = try JSONDecoder().decode(SpoolStatus.self, from: Data(contentsOf: URL(fileURLWithPath: spool.layout.statusFile)))
        #expect(decoded == status)
    }
}
