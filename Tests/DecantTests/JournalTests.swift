import Foundation
import Testing
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool
import DecantTestSupport

struct JournalTests {
    let journal: Journal

    init() throws { journal = try Journal(path: ":memory:") }

    @Test func statesAreStoredAsTheEnumsRawValues() throws {
        _ = try queue(["https://a.example/s"])
        _ = try journal.lease(limit: 1)
        try journal.deferred(url: "https://a.example/s", attempts: 1, nextTry: Date(), status: 503, error: "HTTP 503")
        let raw = try journal.database.read { db in
            try String.fetchOne(db, sql: "SELECT state FROM urls WHERE url = 'https://a.example/s'")
        }
        #expect(raw == URLState.deferred.rawValue)
        #expect(try journal.unsettled().map(\.state) == [.deferred])
    }

    func queue(_ urls: [String], windowHours: Double = 24, now: Date = Date()) throws -> Journal.IngestResult {
        try journal.addJob("job")
        return try journal.ingest(job: "job", urls: urls.enumerated().map { ($1, $0 + 1) }, offset: 10,
                                  lines: urls.count, windowHours: windowHours, now: now)
    }

    @Test func ingestingMovesTheJobsReadPosition() throws {
        _ = try queue(["https://a.example/1", "https://a.example/2"])
        #expect(try journal.jobs() == [Journal.JobRecord(name: "job", offset: 10, lines: 2)])
        #expect(try journal.counts() == [.pending: 2])
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
        #expect(try journal.state(of: "https://a.example/1") == .delivered)
        #expect(try journal.state(of: "https://a.example/2") == .pending)
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
        #expect(try journal.beginDelivery(url: "https://a.example/1", articleId: "a", fingerprint: "same")
            == .start(duplicateOf: nil))
        #expect(try journal.beginDelivery(url: "https://b.example/1", articleId: "b", fingerprint: "same")
            == .start(duplicateOf: "a"))
        // Delivering the first one again (after a crash) is not a duplicate of itself.
        #expect(try journal.beginDelivery(url: "https://a.example/1", articleId: "a", fingerprint: "same")
            == .start(duplicateOf: nil))
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

    @Test func dueRetriesAreLeasedBeforeALongQueueOfNewWork() throws {
        _ = try queue(["https://a.example/retry"])
        _ = try journal.lease(limit: 1)
        let due = Date().addingTimeInterval(-5)
        try journal.deferred(url: "https://a.example/retry", attempts: 1, nextTry: due, status: 503, error: "HTTP 503")
        try journal.settled(url: "https://a.example/retry")
        _ = try queue((0..<100).map { "https://a.example/new-\($0)" })
        let leased = try journal.lease(limit: 8).map(\.url)
        #expect(leased.count == 8)
        #expect(leased.contains("https://a.example/retry"))
    }

    @Test func aFloodOfDueRetriesLeavesRoomForNewWork() throws {
        let retries = (0..<50).map { "https://a.example/retry-\($0)" }
        _ = try queue(retries)
        _ = try journal.lease(limit: 50)
        for url in retries {
            try journal.deferred(url: url, attempts: 1, nextTry: Date().addingTimeInterval(-5), status: 503, error: "x")
            try journal.settled(url: url)
        }
        _ = try queue(["https://a.example/new"])
        let leased = try journal.lease(limit: 10).map(\.url)
        #expect(leased.count == 10)
        #expect(leased.contains("https://a.example/new"))
    }

    @Test func anIdTakenByAnotherURLIsACollision() throws {
        _ = try queue(["https://a.example/1", "https://a.example/2", "https://a.example/3"])
        _ = try journal.lease(limit: 3)
        #expect(try journal.beginDelivery(url: "https://a.example/1", articleId: "same", fingerprint: "f1")
            == .start(duplicateOf: nil))
        #expect(try journal.beginDelivery(url: "https://a.example/2", articleId: "same", fingerprint: "f2")
            == .collision(otherURL: "https://a.example/1"))
        // An out/ file of another URL (its journal row long pruned) counts too.
        #expect(try journal.beginDelivery(url: "https://a.example/3", articleId: "file", fingerprint: "f3",
                                          owner: { $0 == "file" ? "https://old.example/" : nil })
            == .collision(otherURL: "https://old.example/"))
        #expect(try journal.state(of: "https://a.example/2") == .inflight)
    }

    @Test func aFullJournalKeepsSQLitesResultCode() throws {
        let folder = NSTemporaryDirectory() + "decant-journal-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let journal = try Journal(path: folder + "/state.sqlite")
        // Cap the database at its current size: the next pages it needs are "disk full" (SQLITE_FULL).
        try journal.database.write { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        try journal.addJob("job")
        let urls = (0..<2000).map { ("https://a.example/\($0)/" + String(repeating: "x", count: 200), $0 + 1) }
        do {
            _ = try journal.ingest(job: "job", urls: urls, offset: 1, lines: 2000, windowHours: 1)
            Issue.record("the capped journal took 2000 rows")
        } catch {
            guard case .journal(_, _, let code, _) = error else { Issue.record("\(error)"); return }
            #expect(code == SpoolError.sqliteFull)
            #expect(error.isOutOfSpace && error.isTransient)
        }
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

    @Test func aFileStampedInTheFutureIsClaimedOnceUnchangedForTheStableTime() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("ahead", "https://a.example/1\n")
        let path = "\(spool.layout.inbox)/ahead"
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(86_400)], ofItemAtPath: path)
        let claim = Claim(layout: spool.layout)
        let start = Date()
        var scan = claim.scan(stableSeconds: 5, now: start)
        #expect(scan.ready.isEmpty && scan.waiting == 1)
        #expect(try abs(#require(scan.nextStable).timeIntervalSince(start) - 5) < 0.01)
        // Five seconds of the service's clock later (not a day), it is complete.
        scan = claim.scan(stableSeconds: 5, now: start.addingTimeInterval(5))
        #expect(scan.ready == ["ahead"])
    }

    @Test func aFutureStampedFileThatGrowsWaitsAgain() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("ahead", "https://a.example/1\n")
        let path = "\(spool.layout.inbox)/ahead"
        let ahead = Date().addingTimeInterval(86_400)
        try FileManager.default.setAttributes([.modificationDate: ahead], ofItemAtPath: path)
        let claim = Claim(layout: spool.layout)
        let start = Date()
        _ = claim.scan(stableSeconds: 5, now: start)
        try spool.drop("ahead", "https://a.example/1\nhttps://a.example/2\n")
        try FileManager.default.setAttributes([.modificationDate: ahead], ofItemAtPath: path)
        let scan = claim.scan(stableSeconds: 5, now: start.addingTimeInterval(4))
        #expect(scan.ready.isEmpty)
        #expect(try abs(#require(scan.nextStable).timeIntervalSince(start) - 9) < 0.01)
    }

    @Test func aNameAtTheFileSystemsLimitIsClaimedUnderABoundedName() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let claim = Claim(layout: spool.layout)
        let long = String(repeating: "n", count: 255)
        try spool.drop(long, "a\n")
        #expect(try claim.claim(long) == SpoolName.bounded(long))
        try spool.drop(long, "b\n")
        let second = try #require(try claim.claim(long))
        #expect(second.utf8.count <= SpoolName.maxBytes && second.hasSuffix(".2"))
        #expect(SpoolLayout.visibleNames(in: spool.layout.inbox).isEmpty)
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

    @Test func aValidatorsDatabaseThatCannotBeOpenedKeepsSQLitesResultCode() throws {
        let folder = NSTemporaryDirectory() + "decant-validators-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try ValidatorStore(path: folder)  // a folder: SQLite cannot open it
            Issue.record("opened a folder as a database")
        } catch {
            #expect(error.resultCode == 14, "\(error)")  // SQLITE_CANTOPEN
        }
    }
}
