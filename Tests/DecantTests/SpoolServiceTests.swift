import Foundation
import Testing
@testable import DecantCore
@testable import DecantSpool
import DecantTestSupport

/// The service end to end in this process, against `scripts/fault_server.py` or a stub fetcher.
@Suite(.timeLimit(.minutes(2)))
struct SpoolServiceTests {
    let server: FaultServer

    init() throws {
        server = try #require(FaultServer.shared, "python3 scripts/fault_server.py did not start")
    }

    @Test func aJobOfManyURLsDeliversEveryArticle() async throws {
        let spool = try TestSpool { $0.fetch.concurrency = 8 }
        defer { spool.remove() }
        let urls = (0..<120).map { server.url("/article/svc-\($0)") }
        try spool.drop("many.txt", "# a comment\n\n" + urls.joined(separator: "\n") + "\n")
        try await spool.runOnce()
        let articles = try spool.articles()
        #expect(Set(articles.compactMap(\.url)) == Set(urls))
        #expect(articles.allSatisfy { !$0.title.isEmpty && $0.wordCount > 0 && $0.fetchedAt != nil })
        #expect(spool.files(spool.layout.out, suffix: ".md").count == urls.count)
        #expect(SpoolLayout.visibleNames(in: spool.layout.work).isEmpty)
        #expect(SpoolLayout.visibleNames(in: spool.layout.failed).isEmpty)
        #expect(FileManager.default.fileExists(atPath: spool.layout.statusFile))
        #expect(FileManager.default.fileExists(atPath: spool.layout.promFile))
    }

    @Test func badLinesAndBadFilesGoToFailedWithReasons() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("mixed", "ftp://files.example/x\nnot a url\n\(server.url("/status/404?n=svc"))\n"
                       + "\(server.url("/article/svc-ok"))\n")
        try Data([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/image.png"))
        try await spool.runOnce()
        let failed = SpoolLayout.visibleNames(in: spool.layout.failed)
        let base = SpoolName.failedJobBase("image.png")
        #expect(failed.contains(base))
        let record = try spool.jobRecord(base)
        #expect(record.error.contains("binary"))
        #expect(record.job == "image.png" && record.file == base)
        let lines = failed.filter { $0.hasPrefix("line-") }
        #expect(lines.count == 2)
        let texts = try lines.map { try String(contentsOfFile: "\(spool.layout.failed)/\($0)", encoding: .utf8) }
        #expect(texts.contains { $0.contains("unsupported URL scheme 'ftp'") && $0.contains("\"line\" : 1") })
        let records = try spool.records(spool.layout.failed)
        #expect(records.map(\.url) == [server.url("/status/404?n=svc")])
        #expect(records.first?.status == 404)
        #expect(records.first?.error.contains("404") == true)
        #expect(try spool.articles().map(\.url) == [server.url("/article/svc-ok")])
    }

    @Test func aURLThatKeepsFailingTemporarilyEndsInFailedAfterMaxAttempts() async throws {
        let spool = try TestSpool {
            $0.queue.maxAttempts = 2; $0.queue.backoffBaseSeconds = 0; $0.queue.backoffMaxSeconds = 0
            $0.fetch.retryBaseDelayMs = 0; $0.fetch.retryMaxDelayMs = 0
        }
        defer { spool.remove() }
        let url = server.url("/status/503?n=svc-gives-up")
        try spool.drop("job", url + "\n")
        for _ in 0..<3 { try await spool.runOnce(); try await Task.sleep(for: .milliseconds(100)) }
        let failed = try spool.records(spool.layout.failed)
        #expect(failed.map(\.url) == [url])
        #expect(failed.first?.attempts == 2)
        #expect(failed.first?.error.contains("gave up after 2 attempts") == true)
        #expect(try spool.records(spool.layout.deferred).isEmpty)
    }

    @Test func retryAfterFromTheServerIsHonoured() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let later = Date().addingTimeInterval(3600)
        try spool.drop("job", "https://slow.example/a\n")
        try await spool.runOnce(fetcher: { _, _ in
            StubFetcher { .deferred(url: $0, retryAt: later, failure: .http(status: 429)) }
        })
        let record = try #require(try spool.records(spool.layout.deferred).first)
        let next = try Date(#require(record.nextTry), strategy: .iso8601)
        #expect(next.timeIntervalSince(later) > -1)
        #expect(record.status == 429)
    }

    @Test func duplicatesAreRecognised() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        // Two URLs with the same article text, and one URL listed twice.
        let a = server.url("/ok?copy=svc-a"), b = server.url("/ok?copy=svc-b")
        try spool.drop("job", "\(a)\n\(a)\n")
        try await spool.runOnce()
        try spool.drop("job2", "\(b)\n\(a)\n")
        try await spool.runOnce()
        let articles = try spool.articles()
        #expect(articles.count == 2)
        let first = try #require(articles.first { $0.url == a })
        let second = try #require(articles.first { $0.url == b })
        #expect(first.duplicateOf == nil)
        #expect(second.duplicateOf == first.id)
    }

    @Test func aNotModifiedPageKeepsItsArticleAndAMissingOneIsFetchedAgain() async throws {
        let spool = try TestSpool { $0.queue.duplicateWindowHours = 0 }
        defer { spool.remove() }
        let url = server.url("/etag?k=svc-\(UUID().uuidString)")
        try spool.drop("first", url + "\n")
        try await spool.runOnce()
        let article = try #require(try spool.articles().first, "\(spool.explain())")
        let path = "\(spool.layout.out)/\(article.id).json"
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        // Again: the server answers 304 to If-None-Match, the article file stays untouched.
        try spool.drop("second", url + "\n")
        try await spool.runOnce()
        #expect(try spool.articles() == [article])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
        // The article was removed meanwhile: a 304 cannot stand in for it, so it is fetched in full.
        try FileManager.default.removeItem(atPath: "\(spool.layout.out)/\(article.id).json")
        try spool.drop("third", url + "\n")
        try await spool.runOnce()
        #expect(try spool.articles().map(\.id) == [article.id])
        #expect(try Journal(path: spool.layout.journal).counts() == [.delivered: 1])
    }

    @Test func aRestartRecoversClaimedWorkAfterACrash() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        // A crash after the claim and part of the reading: the job sits in work/, half ingested and leased.
        let urls = (0..<10).map { server.url("/article/svc-crash-\($0)") }
        try Data((urls.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(spool.layout.work)/job"))
        let journal = try Journal(path: spool.layout.journal)
        try journal.addJob("job")
        let offset = urls[0..<4].joined(separator: "\n").utf8.count + 1
        _ = try journal.ingest(job: "job", urls: urls[0..<4].enumerated().map { ($1, $0 + 1) }, offset: offset,
                               lines: 4, windowHours: 24)
        _ = try journal.lease(limit: 2)
        // A stray half-written temp file of the dead process.
        try Data("{\"partial".utf8).write(to: URL(fileURLWithPath: "\(spool.layout.tmp)/.x.json.2147483646.42.tmp"))
        try await spool.runOnce()
        #expect(Set(try spool.articles().compactMap(\.url)) == Set(urls), "\(spool.explain())")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.layout.tmp).isEmpty)
        #expect(try Journal(path: spool.layout.journal).counts() == [.delivered: 10])
    }

    @Test func aFileStillBeingWrittenWaitsUntilStable() async throws {
        let spool = try TestSpool { $0.queue.stableSeconds = 0.6 }
        defer { spool.remove() }
        try spool.drop("growing", server.url("/article/svc-stable-1") + "\n")
        let start = Date()
        try await spool.runOnce()
        #expect(Date().timeIntervalSince(start) >= 0.5)
        #expect(try spool.articles().count == 1)
    }
}
