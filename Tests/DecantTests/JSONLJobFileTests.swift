import Foundation
import Synchronization
import Testing
@testable import DecantCore
@testable import DecantExtract
@testable import DecantSources
@testable import DecantSpool
import DecantTestSupport

/// JSONL job files (issue 12): each line's options, its errors naming the key, and what the options do.
struct JSONLJobFileTests {
    static let page: SpoolService.FetcherFactory = { _, _ in
        StubFetcher { StubFetcher.page($0, title: "Page \($0.suffix(2))", text: "Some words about \($0) here.") }
    }

    /// The raw JSON object of the article delivered for `url`.
    static func articleObject(_ spool: TestSpool, url: String) throws -> [String: Any] {
        for name in spool.files(spool.layout.out) {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(spool.layout.out)/\(name)"))
            if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], object["url"] as? String == url {
                return object
            }
        }
        struct NoArticle: Error { var url: String }
        throw NoArticle(url: url)
    }

    @Test func badLinesBecomeFailedRecordsNamingTheirKeyAndGoodLinesAreDelivered() async throws {
        let spool = try TestSpool { $0.output.formats = [.json, .markdown] }
        defer { spool.remove() }
        let lines = [
            #"{"url": "https://a.example/01", "tags": ["news"], "priority": 7, "formats": ["json"]}"#,
            #"{"url": "https://a.example/02"}"#,
            "",
            #"{"url": "https://a.example/03", "priority": 12}"#,
            #"{"url": "https://a.example/04", "colour": "red"}"#,
            #"{"url": "https://a.example/05", "tags": "news"}"#,
            #"{"url": "https://a.example/06", "formats": ["pdf"]}"#,
            #"{"url": "https://a.example/07", "recrawlHours": -1}"#,
            #"{"url": "https://a.example/08", "source": "video"}"#,
            #"{"url": "https://a.example/09", "depth": -2}"#,
            #"{"url": "https://a.example/10", "hints": {"title": 3}}"#,
            #"{"url": "https://a.example/11", "hints": {"summary": "x"}}"#,
            #"{"url": "https://a.example/12", "priority": true}"#,
            #"{"url": "https://a.example/13", "tags": ["\#(String(repeating: "x", count: 101))"]}"#,
            #"{"url": "ftp://a.example/14"}"#,
            #"{"tags": ["no url"]}"#,
            "https://a.example/15",
            #"{"url": "https://a.example/16", "#,
        ]
        try spool.drop("jobs.jsonl", lines.joined(separator: "\n") + "\n")
        try await spool.runOnce(fetcher: Self.page)

        let records = try spool.files(spool.layout.failed).filter { $0.hasPrefix("line-") }.map {
            try TestSpool.decode(Delivery.JobFailure.self, "\(spool.layout.failed)/\($0)")
        }.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        let keys = records.map { String($0.error.prefix(while: { $0 != ":" })) }
        #expect(keys == ["priority", "colour", "tags", "formats", "recrawlHours", "source", "depth", "hints.title",
                         "hints.summary", "priority", "tags", "url", "url", "a line of a .jsonl job file is one JSON object starting with {",
                         "not a JSON object (The given data was not valid JSON.)"].map { String($0.prefix(while: { $0 != ":" })) },
                "\(records.map(\.error))")
        #expect(records.first?.error == "priority: must be an integer 0-9")
        #expect(records.first?.line == 4)

        let ids = try spool.articles().map { $0.url ?? "" }.sorted()
        #expect(ids == ["https://a.example/01", "https://a.example/02"], "\(spool.explain())")
        // `formats: ["json"]` leaves out the configured markdown for that URL only.
        let one = try Self.articleObject(spool, url: "https://a.example/01"), two = try Self.articleObject(spool, url: "https://a.example/02")
        let md = spool.files(spool.layout.out, suffix: ".md")
        #expect(md == ["\(two["id"] as! String).md"])
        #expect(one["tags"] as? [String] == ["news"])
    }

    @Test func higherPriorityLeasesFirstYetTheOldestLowPriorityURLIsNotStarved() throws {
        let journal = try Journal(path: ":memory:")
        try journal.addJob("j.jsonl")
        var urls: [(url: String, line: Int, options: JobOptions)] = []
        for (i, priority) in ([0, 5, 9].flatMap { p in Array(repeating: p, count: 10) }).enumerated() {
            urls.append(("https://p\(priority).example/\(i)", i + 1, JobOptions(priority: priority)))
        }
        _ = try journal.ingest(job: "j.jsonl", urls: urls, offset: 0, lines: 30, windowHours: 0)
        var order: [Int] = []
        while true {
            let batch = try journal.lease(limit: 2)
            if batch.isEmpty { break }
            order += batch.map { $0.options.effectivePriority }
        }
        #expect(order.count == 30)
        #expect(Array(order.prefix(7)) == Array(repeating: 9, count: 7))
        let firstZero = try #require(order.firstIndex(of: 0)), lastNine = try #require(order.lastIndex(of: 9))
        #expect(firstZero < lastNine, "\(order)")
        // Apart from the aging leases (every 8th), the 9s come before the 5s.
        let withoutAging = order.enumerated().filter { ($0.offset + 1) % Journal.agingPeriod != 0 }.map(\.element)
        #expect(Array(withoutAging.prefix(10)) == Array(repeating: 9, count: 10), "\(order)")
    }

    @Test func theServiceFetchesHighPriorityFirstAndStillReachesLowOnes() async throws {
        let spool = try TestSpool { $0.fetch.concurrency = 2 }
        defer { spool.remove() }
        var lines: [String] = []
        for (i, priority) in ([0, 5, 9].flatMap { p in Array(repeating: p, count: 10) }).enumerated() {
            lines.append(#"{"url": "https://p\#(priority).example/\#(i)", "priority": \#(priority)}"#)
        }
        try spool.drop("jobs.jsonl", lines.joined(separator: "\n") + "\n")
        let fetched = Mutex<[String]>([])
        try await spool.runOnce(fetcher: { _, _ in
            StubFetcher { url in
                fetched.withLock { $0.append(url) }
                return StubFetcher.page(url, text: "Words about \(url) here.")
            }
        })
        let order = fetched.withLock { $0 }.map { Int(String($0.dropFirst("https://p".count).prefix(1)))! }
        #expect(order.count == 30)
        #expect(order.first == 9, "\(order)")
        let firstZero = try #require(order.firstIndex(of: 0)), lastNine = try #require(order.lastIndex(of: 9))
        #expect(firstZero < lastNine, "\(order)")
    }

    @Test func leaseQueriesUseTheirIndexesWithoutSorting() throws {
        let journal = try Journal(path: ":memory:")
        let byPriority = try journal.queryPlan(Journal.byPriority, arguments: [URLState.pending, 8]).joined(separator: "; ")
        #expect(byPriority.contains("urls_priority"), "\(byPriority)")
        #expect(!byPriority.contains("TEMP B-TREE"), "\(byPriority)")
        let oldest = try journal.queryPlan(Journal.oldestQueued, arguments: [URLState.pending, 8]).joined(separator: "; ")
        #expect(oldest.contains("urls_queued_age"), "\(oldest)")
        #expect(!oldest.contains("TEMP B-TREE"), "\(oldest)")
    }

    @Test func tagsSourceFeedAndEntryIdAppearInTheArticleJSONOnlyWhenGiven() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("jobs.jsonl", """
            {"url": "https://a.example/01", "tags": ["alpha", "beta"], "sourceFeed": "https://a.example/feed.xml", "hints": {"entryId": "tag:a.example,2024:1"}}
            {"url": "https://a.example/02"}

            """)
        try await spool.runOnce(fetcher: Self.page)
        let tagged = try Self.articleObject(spool, url: "https://a.example/01")
        #expect(tagged["tags"] as? [String] == ["alpha", "beta"])
        #expect(tagged["sourceFeed"] as? String == "https://a.example/feed.xml")
        #expect(tagged["sourceEntryId"] as? String == "tag:a.example,2024:1")
        let plain = try Self.articleObject(spool, url: "https://a.example/02")
        #expect(plain["tags"] as? [String] == [])
        #expect(plain["sourceFeed"] == nil && plain["sourceEntryId"] == nil)
    }

    @Test func hintsFillOnlyWhatThePageLacks() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("jobs.jsonl", """
            {"url": "https://a.example/01", "hints": {"title": "Feed title", "published": "2024-03-04T05:06:07Z", "author": "Feed Author", "categories": ["from-feed"]}}

            """)
        try await spool.runOnce(fetcher: Self.page)
        let article = try #require(try spool.articles().first)
        #expect(article.title == "Page 01")  // the page has a title: the hint's is not used
        #expect(article.published == "2024-03-04T05:06:07Z")
        #expect(article.authors == ["Feed Author"] && article.author == "Feed Author")
        #expect(article.tags == ["from-feed"])

        var full = article
        full.title = "Own"; full.published = "2020-01-01"; full.authors = ["Own Author"]; full.author = "Own Author"
        full.tags = ["own"]
        let hints = JobOptions.Hints(title: "T", published: "2024-01-01", author: "A", categories: ["c"])
        let applied = JobOptions(hints: hints).applied(to: full)
        #expect(applied == full)
    }

    @Test func recrawlHoursZeroFetchesAgainInsideTheDuplicateWindow() throws {
        let journal = try Journal(path: ":memory:")
        try journal.addJob("j")
        let url = "https://a.example/x"
        _ = try journal.ingest(job: "j", urls: [(url, 1, JobOptions())], offset: 0, lines: 1, windowHours: 24)
        #expect(try journal.lease(limit: 1).map(\.url) == [url])
        try journal.delivered(url: url)
        let again = try journal.ingest(job: "j", urls: [(url, 2, JobOptions())], offset: 0, lines: 2, windowHours: 24)
        #expect(again.recent == 1 && again.queued == 0)
        let forced = try journal.ingest(job: "j", urls: [(url, 3, JobOptions(tags: ["new"], recrawlHours: 0))],
                                        offset: 0, lines: 3, windowHours: 24)
        #expect(forced.queued == 1)
        let lease = try #require(try journal.lease(limit: 1).first)
        #expect(lease.url == url && lease.options.tags == ["new"] && lease.options.recrawlHours == 0)
    }

    @Test func aURLEnqueuedAgainKeepsTheNewestOptions() throws {
        let journal = try Journal(path: ":memory:")
        try journal.addJob("j")
        let url = "https://a.example/x"
        _ = try journal.ingest(job: "j", urls: [(url, 1, JobOptions(tags: ["old"], priority: 1))], offset: 0, lines: 1,
                               windowHours: 24)
        let merged = try journal.ingest(job: "j", urls: [(url, 2, JobOptions(tags: ["new"], priority: 8))], offset: 0,
                                        lines: 2, windowHours: 24)
        #expect(merged.merged == 1)
        let lease = try #require(try journal.lease(limit: 1).first)
        #expect(lease.options == JobOptions(tags: ["new"], priority: 8))
    }

    @Test func aPlainFeedPrefixedLineStoresItsSourceKind() throws {
        #expect(JobLine.parse("feed:https://example.com/rss") == .url("https://example.com/rss", options: JobOptions(source: .feed)))
        #expect(JobLine.parse("sitemap:https://example.com/s.xml") == .url("https://example.com/s.xml", options: JobOptions(source: .sitemap)))
        #expect(JobLine.parse("https://example.com/page") == .url("https://example.com/page"))
        let spool = try TestSpool()
        defer { spool.remove() }
        let path = "\(spool.layout.inbox)/plain.txt"
        try Data("feed:https://example.com/rss\nhttps://example.com/page\n".utf8).write(to: URL(fileURLWithPath: path))
        let reader = try JobFileReader(path: path)
        var urls: [(url: String, line: Int, options: JobOptions)] = []
        while let line = try reader.next() { if case .url(let url, let options) = line.kind { urls.append((url, line.number, options)) } }
        let journal = try Journal(path: ":memory:")
        try journal.addJob("plain.txt")
        _ = try journal.ingest(job: "plain.txt", urls: urls, offset: 0, lines: 2, windowHours: 24)
        let leases = try journal.lease(limit: 2)
        #expect(leases.first { $0.url == "https://example.com/rss" }?.options.source == .feed)
        #expect(leases.first { $0.url == "https://example.com/page" }?.options == JobOptions())
    }

    @Test func aFileWrittenByTheSourcePollerReadsBackWithTheSameOptions() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let hints = SourceJobFile.Line.Hints(title: "T", published: "2024-01-01T00:00:00Z", author: "A",
                                             categories: ["c"], entryId: "id-1")
        let written = [
            SourceJobFile.Line(url: "https://a.example/1", tags: ["t"], sourceFeed: "https://a.example/feed",
                               recrawlHours: 0, hints: hints, priority: 8, depth: 0, formats: ["json"]),
            SourceJobFile.Line(url: "https://a.example/index.xml", source: "sitemap", depth: 1),
        ]
        let path = try #require(try SourceJobFile.write(written, to: spool.layout))
        #expect(JobFileReader.isJSONL(name: (path as NSString).lastPathComponent))
        let reader = try JobFileReader(path: path)
        var kinds: [JobFileReader.Line.Kind] = []
        while let line = try reader.next() { kinds.append(line.kind) }
        #expect(kinds == [
            .url("https://a.example/1", options: JobOptions(tags: ["t"], priority: 8, formats: ["json"], recrawlHours: 0,
                                                             source: .page, depth: 0, sourceFeed: "https://a.example/feed",
                                                             hints: hints)),
            .url("https://a.example/index.xml", options: JobOptions(source: .sitemap, depth: 1)),
        ])
    }

    @Test func aClaimedJSONLNameWithACounterIsStillJSONL() {
        #expect(JobFileReader.isJSONL(name: "a.jsonl"))
        #expect(JobFileReader.isJSONL(name: "a.JSONL.2"))
        #expect(!JobFileReader.isJSONL(name: "a.txt"))
        #expect(!JobFileReader.isJSONL(name: "jsonl"))
    }
}
