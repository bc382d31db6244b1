import Foundation
import Testing
import DecantCore
import DecantExtract
import DecantFetch
import DecantSources
@testable import DecantSpool
import DecantTestSupport

/// Feeds, sitemaps and robots.txt named in a job are expanded into a JSONL job file instead of being cleaned.
@Suite struct SpoolExpansionTests {
    /// One leased URL processed by the spool's `URLContext` over a fresh spool.
    struct Harness {
        let spool: TestSpool
        let journal: Journal
        let context: URLContext
        let pool = ExtractionPool()

        init(limits: SourceLimits = .standard, spool: TestSpool? = nil, fetcher: any PageFetching) throws {
            self.spool = try spool ?? TestSpool()
            journal = try Journal(path: self.spool.layout.journal)
            context = URLContext(fetcher: fetcher, extractor: Extractor(), pool: pool, io: SpoolIO(), journal: journal,
                                 delivery: Delivery(layout: self.spool.layout, formats: [.json]),
                                 backoff: Backoff(self.spool.config.queue), validators: nil, clock: SystemClock(),
                                 expansion: SourceExpansion(limits: limits))
        }

        /// Queues `url`, leases it and processes it.
        func process(_ url: String, forced: SourceKind? = nil, depth: Int = 0, tags: [String] = []) async throws
            -> URLReport {
            _ = try journal.ingest(job: "job", urls: [(url, 1)], offset: 0, lines: 1, windowHours: 24)
            var lease = try #require(try journal.lease(limit: 1).first)
            lease.options.source = forced
            lease.options.depth = depth
            lease.options.tags = tags.isEmpty ? nil : tags
            return await context.process(lease)
        }

        /// The lines of the JSONL job files the expansion wrote into the inbox.
        func jobLines() throws -> [SourceJobFile.Line] {
            try spool.files(spool.layout.inbox, suffix: ".jsonl").sorted().flatMap { name in
                try String(contentsOfFile: "\(spool.layout.inbox)/\(name)", encoding: .utf8)
                    .split(separator: "\n").map { try JSONDecoder().decode(SourceJobFile.Line.self, from: Data($0.utf8)) }
            }
        }

        func failedRecord() throws -> Delivery.URLRecord { try #require(try spool.records(spool.layout.failed).first) }

        func remove() {
            pool.shutdown()
            spool.remove()
        }
    }

    static func body(_ url: String, _ type: String?, _ data: Data) -> FetchOutcome {
        .fetched(FetchedPage(url: url, finalURL: url, status: 200, contentType: type, declaredCharset: nil, body: data))
    }

    /// A stub that serves `bodies[url]` as (content type, body), and a page for any other URL.
    static func stub(_ bodies: [String: (String?, Data)]) -> StubFetcher {
        StubFetcher { url in
            if let (type, data) = bodies[url] { return body(url, type, data) }
            return StubFetcher.page(url, title: "Entry", text: "The harbour reopened on Monday after the storm damage was repaired by the crews.")
        }
    }

    @Test func anRSSFeedInAJobBecomesOneJSONLJobFileAndIsDeliveredWithoutAnArticle() async throws {
        let url = "https://example.com/feed.xml"
        let h = try Harness(fetcher: Self.stub([url: ("application/rss+xml", try SourceFixture.data("rss2.xml"))]))
        defer { h.remove() }
        let report = try await h.process(url, tags: ["news"])
        #expect(report.kind == .delivered)
        #expect(report.line == "expanded \(url): feed with 3 entries (0 dropped by limits)")
        let lines = try h.jobLines()
        #expect(lines.map(\.url) == ["https://example.com/2024/03/fish", "https://example.com/2024/03/relative",
                                     "https://example.com/2024/03/guid-only"])
        #expect(lines.allSatisfy { $0.source == "page" && $0.sourceFeed == url && $0.tags == ["news"] && $0.depth == nil })
        #expect(lines[0].hints == .init(title: "Fish & <Chips> tonight", published: "2024-03-05T10:00:00+01:00",
                                        author: "Ann Writer", categories: ["Food", "Dinner"],
                                        entryId: "tag:example.com,2024:fish"))
        #expect(try h.journal.state(of: url) == .delivered)
        #expect(h.spool.files(h.spool.layout.out).isEmpty)
        #expect(h.spool.files(h.spool.layout.failed).isEmpty)
    }

    @Test func anAtomFeedResolvesRelativeLinksAgainstXMLBase() async throws {
        let url = "https://blog.example/feeds/atom.xml"
        let atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/posts/">
              <title>Blog</title><id>urn:blog</id>
              <entry><id>urn:1</id><title>One</title><link href="one.html"/><updated>2024-03-05T10:00:00Z</updated></entry>
              <entry xml:base="/archive/2023/"><id>urn:2</id><title>Two</title><link rel="alternate" href="two.html"/></entry>
              <entry><id>urn:3</id><title>No link</title></entry>
            </feed>
            """
        let h = try Harness(fetcher: Self.stub([url: ("application/atom+xml", Data(atom.utf8))]))
        defer { h.remove() }
        let report = try await h.process(url)
        #expect(report.line == "expanded \(url): feed with 2 entries (0 dropped by limits)")
        let lines = try h.jobLines()
        #expect(lines.map(\.url) == ["https://blog.example/posts/one.html", "https://blog.example/archive/2023/two.html"])
        #expect(lines.map { $0.hints?.entryId } == ["urn:1", "urn:2"])
        #expect(lines[0].hints?.published == "2024-03-05T10:00:00Z")
        #expect(lines[0].tags == nil)
    }

    @Test func aGzipSitemapIndexQueuesItsSitemapsAtDepthOne() async throws {
        let url = "https://example.com/sitemap-index.xml.gz"
        let h = try Harness(fetcher: Self.stub([url: ("application/octet-stream", try SourceFixture.data("sitemap-index.xml.gz"))]))
        defer { h.remove() }
        let report = try await h.process(url)
        #expect(report.line == "expanded \(url): sitemap with 2 entries (0 dropped by limits)")
        let lines = try h.jobLines()
        #expect(lines.map(\.url) == ["https://example.com/sitemap-posts.xml.gz", "https://example.com/sitemap-pages.xml"])
        #expect(lines.allSatisfy { $0.source == "sitemap" && $0.depth == 1 && $0.sourceFeed == url })
    }

    @Test func aURLSetSitemapBecomesPageLinesAndEntriesPastTheLimitAreCounted() async throws {
        let url = "https://example.com/sitemap.xml"
        let urls = (1...5).map { "<url><loc>https://example.com/p/\($0)</loc></url>" }.joined()
        let body = #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"# + urls + "</urlset>"
        let h = try Harness(limits: SourceLimits(entries: 3), fetcher: Self.stub([url: ("text/xml", Data(body.utf8))]))
        defer { h.remove() }
        let report = try await h.process(url, depth: 1)
        #expect(report.line == "expanded \(url): sitemap with 3 entries (2 dropped by limits)")
        #expect(try h.jobLines().map(\.url) == ["https://example.com/p/1", "https://example.com/p/2", "https://example.com/p/3"])
        #expect(try h.jobLines().allSatisfy { $0.source == "page" && $0.depth == nil })
    }

    @Test func aSitemapIndexWhoseSitemapsWouldBeTooDeepGoesToFailed() async throws {
        let url = "https://example.com/sitemap-index.xml"
        let h = try Harness(limits: SourceLimits(sitemapDepth: 1),
                            fetcher: Self.stub([url: ("application/xml", try SourceFixture.data("sitemap-index.xml"))]))
        defer { h.remove() }
        let report = try await h.process(url, depth: 1)
        #expect(report.kind == .failed)
        let record = try h.failedRecord()
        #expect(record.url == url)
        #expect(record.error == "lists 2 sitemaps at depth 2, deeper than sources.sitemapDepth (1); not expanded")
        #expect(try h.jobLines().isEmpty)
        #expect(try h.journal.state(of: url) == .failed)
    }

    @Test func aSitemapLeasedDeeperThanTheLimitIsRefused() async throws {
        let url = "https://example.com/deep.xml"
        let h = try Harness(limits: SourceLimits(sitemapDepth: 2),
                            fetcher: Self.stub([url: ("application/xml", try SourceFixture.data("sitemap.xml"))]))
        defer { h.remove() }
        #expect(try await h.process(url, forced: .sitemap, depth: 3).kind == .failed)
        #expect(try h.failedRecord().error == "a sitemap at depth 3 is deeper than sources.sitemapDepth (2); not expanded")
    }

    @Test func robotsTxtSitemapLinesAreQueuedAsSitemaps() async throws {
        let url = "https://shop.example/robots.txt"
        let robots = "User-agent: *\nDisallow: /cart\nSitemap: https://shop.example/sitemap.xml\nsitemap: /news-sitemap.xml\n"
        let h = try Harness(fetcher: Self.stub([url: ("text/plain", Data(robots.utf8))]))
        defer { h.remove() }
        let report = try await h.process(url, tags: ["shop"])
        #expect(report.line == "expanded \(url): sitemap with 2 entries (0 dropped by limits)")
        let lines = try h.jobLines()
        #expect(lines.map(\.url) == ["https://shop.example/sitemap.xml", "https://shop.example/news-sitemap.xml"])
        #expect(lines.allSatisfy { $0.source == "sitemap" && $0.depth == 1 && $0.tags == ["shop"] })
    }

    @Test func aFeedOverrideOnAnHTMLResponseGoesToFailedWithTheReason() async throws {
        let url = "https://example.com/not-a-feed"
        let html = StubFetcher.page(url, text: "Just a page about the harbour and its boats, long enough to be an article.")
        guard case .fetched(let page) = html else { Issue.record("no page"); return }
        let h = try Harness(fetcher: StubFetcher { _ in html })
        defer { h.remove() }
        #expect(try await h.process(url, forced: .feed).kind == .failed)
        var expected: SourceError?
        do { _ = try SourceDocument.read(page.body, contentType: page.contentType, url: url, override: .feed) } catch {
            expected = error
        }
        let error = try #require(expected)
        #expect(try h.failedRecord().error == error.description)
        #expect(h.spool.files(h.spool.layout.out).isEmpty)
    }

    @Test func anHTMLPageIsCleanedExactlyAsBefore() async throws {
        let url = "https://example.com/story"
        let outcome = StubFetcher.page(url, title: "Story", text: "The ferry timetable changes on Sunday, the operator said in a statement.")
        guard case .fetched(let page) = outcome else { Issue.record("no page"); return }
        let h = try Harness(fetcher: StubFetcher { _ in outcome })
        defer { h.remove() }
        #expect(try await h.process(url).kind == .delivered)
        let expected = try Extractor().extract(page: page)
        let written = try Data(contentsOf: URL(fileURLWithPath: "\(h.spool.layout.out)/\(expected.id).json"))
        #expect(written == OutputConfig.Format.json.file(expected))
        #expect(try h.jobLines().isEmpty)
    }

    @Test func malformedXMLAndABillionLaughsGoToFailedInBoundedTimeAndTheServiceKeepsGoing() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let bad = "https://example.com/bad.xml", bomb = "https://example.com/bomb.xml", page = "https://example.com/after"
        let stub = Self.stub([bad: ("application/rss+xml", try SourceFixture.data("malformed.xml")),
                              bomb: ("application/xml", try SourceFixture.data("billion-laughs.xml"))])
        // Reading the bomb is bounded: libxml2 stops at the entity loop instead of expanding it.
        let start = Date()
        let reading = SourceExpansion(limits: .standard).read(
            FetchedPage(url: bomb, finalURL: bomb, status: 200, contentType: "application/xml", declaredCharset: nil,
                        body: try SourceFixture.data("billion-laughs.xml")), url: bomb, forced: nil, depth: 0, tags: [])
        #expect(Date().timeIntervalSince(start) < 5)
        guard case .refused(.source(.malformedXML)) = reading else { Issue.record("read as \(reading)"); return }
        try spool.drop("mixed", "\(bad)\n\(bomb)\n\(page)\n")
        try await spool.runOnce(fetcher: { _, _ in stub })
        let records = Dictionary(uniqueKeysWithValues: try spool.records(spool.layout.failed).map { ($0.url, $0.error) })
        #expect(records[bad] == SourceError.malformedXML(line: 5, column: 33,
                                                        message: "Opening and ending tag mismatch: title line 5 and item").description)
        let bombError = try #require(records[bomb])
        #expect(bombError.hasPrefix("malformed XML at line "), "\(bombError)")
        #expect(try spool.articles().map(\.url) == [page], "\(spool.explain())")
    }

    @Test func theRealFetcherKeepsFeedsAndStillRefusesOtherTypes() async throws {
        let folder = NSTemporaryDirectory() + "decant-expand-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SourceFixture.data("rss2.xml").write(to: URL(fileURLWithPath: folder + "/feed.rss"))
        try Data("just some notes\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: folder + "/image.png"))
        let server = try #require(ScriptServer("source_server.py", arguments: [folder]))
        let base = "http://127.0.0.1:\(server.port)"
        let spool = try TestSpool()
        let fetcher = Fetcher(config: spool.config.fetch)
        let running = Task { await fetcher.run() }
        let h = try Harness(spool: spool, fetcher: fetcher)
        defer { h.remove() }
        #expect(try await h.process(base + "/feed.rss").line == "expanded \(base)/feed.rss: feed with 3 entries (0 dropped by limits)")
        // Lines relative to the feed's final URL, hints as read.
        #expect(try h.jobLines().first?.url == "https://example.com/2024/03/fish")
        #expect(try await h.process(base + "/notes.txt").line.hasSuffix("unsupported content type text/plain"))
        #expect(try await h.process(base + "/image.png").line.hasSuffix("unsupported content type image/png"))
        fetcher.finish()
        await running.value
    }

    @Test
    func aFeedInAJobIsExpandedAndItsEntriesAreDeliveredInTheSameOnceRun() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let url = "https://example.com/feed.xml"
        let stub = Self.stub([url: ("application/rss+xml", try SourceFixture.data("rss2.xml"))])
        try spool.drop("feeds", "\(url)\n")
        try await spool.runOnce(fetcher: { _, _ in stub })
        // The expansion's job file is claimed in the same run: --once waits for the inbox to be empty.
        #expect(try spool.articles().compactMap(\.url).sorted() == ["https://example.com/2024/03/fish", "https://example.com/2024/03/guid-only",
                                                             "https://example.com/2024/03/relative"], "\(spool.explain())")
        #expect(spool.files(spool.layout.inbox, suffix: ".jsonl").isEmpty)
        #expect(spool.files(spool.layout.failed).isEmpty, "\(spool.explain())")
    }

    @Test func aSitemapIndexIsFollowedThroughItsChildrenUpToTheDepthLimitInOneOnceRun() async throws {
        // The index (depth 0) lists a urlset and another index; with sitemapDepth 1 the urlset's pages are
        // delivered and the nested index, leased at depth 1 from its JSONL line, is refused.
        let spool = try TestSpool { $0.sources.sitemapDepth = 1 }
        defer { spool.remove() }
        let index = "https://example.com/index.xml"
        let stub = Self.stub([
            index: ("application/xml", try SourceFixture.data("sitemap-index.xml")),
            "https://example.com/sitemap-posts.xml.gz": ("application/gzip", try SourceFixture.data("sitemap.xml.gz")),
            "https://example.com/sitemap-pages.xml": ("application/xml", try SourceFixture.data("sitemap-index.xml")),
        ])
        try spool.drop("sitemaps", "\(index)\n")
        try await spool.runOnce(fetcher: { _, _ in stub })
        #expect(try spool.articles().compactMap(\.url).sorted()
                == ["https://example.com/a?x=1&y=2", "https://example.com/b", "https://example.com/c"], "\(spool.explain())")
        let failed = try spool.records(spool.layout.failed)
        #expect(failed.map(\.url) == ["https://example.com/sitemap-pages.xml"], "\(spool.explain())")
        #expect(failed.first?.error.contains("deeper than sources.sitemapDepth (1)") == true, "\(failed)")
    }

    @Test func readersCountTheEntriesTheyDropPastTheLimit() throws {
        let one = SourceLimits(entries: 1)
        #expect(try SourceFixture.feed("rss2.xml", limits: one)?.dropped == 2)
        #expect(try SourceFixture.feed("atom.xml", limits: SourceLimits(entries: 0))?.entries.isEmpty == true)
        #expect(try SourceFixture.feed("rss2.xml")?.dropped == 0)
        #expect(try SourceFixture.sitemap("sitemap-index.xml", limits: one)?.dropped == 1)
        let robots = Data("Sitemap: https://a.example/1.xml\nSitemap: https://a.example/2.xml\nSitemap: https://a.example/3.xml\n".utf8)
        guard case .sitemap(let map) = try SourceDocument.read(robots, url: "https://a.example/robots.txt", limits: one) else {
            Issue.record("robots.txt not read as a sitemap"); return
        }
        #expect(map.entries.map(\.loc) == ["https://a.example/1.xml"] && map.dropped == 2 && map.truncated)
    }

    @Test func sourceLimitsComeFromTheSourcesKeysAndBadValuesNameTheirKey() throws {
        let config = try PipelineConfig.decode(Data(#"{"sources": {"maxEntries": 10, "maxBytes": 4096, "sitemapDepth": 0}}"#.utf8))
        #expect(config.sources.limits == SourceLimits(entries: 10, bytes: 4096, sitemapDepth: 0))
        #expect(PipelineConfig().sources.limits == .standard)
        #expect(throws: ConfigError.invalidValue(keyPath: "sources.sitemapDepth", reason: "must be in the range 0–8")) {
            try PipelineConfig.decode(Data(#"{"sources": {"sitemapDepth": 9}}"#.utf8))
        }
        #expect(throws: ConfigError.invalidValue(keyPath: "sources.maxEntries", reason: "must be in the range 1–1000000")) {
            try PipelineConfig.decode(Data(#"{"sources": {"maxEntries": 0}}"#.utf8))
        }
    }
}
