import Foundation
import Logging
import Synchronization
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool

/// Recurring sources: polls on the service clock, conditional GET, only unseen entries offered,
/// sitemap lastmod, backoff of a failing source, OPML import, and the CLI.
@Suite(.timeLimit(.minutes(1)))
struct RecurringSourceTests {
    /// A spool with a journal and a source store, a manual clock, and the job files the poller wrote.
    struct Harness {
        let spool: TestSpool
        let store: SourceStore
        let clock = ManualClock()

        init(_ change: (inout PipelineConfig) -> Void = { _ in }) throws {
            spool = try TestSpool(change)
            store = SourceStore(journal: try Journal(path: spool.layout.journal))
        }

        func poller(_ fetcher: any PageFetching) -> SourcePoller {
            SourcePoller(store: store, layout: spool.layout,
                         settings: .init(sources: spool.config.sources, recheckSeconds: 30), fetcher: fetcher,
                         clock: clock, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, once: false,
                         notify: { _ in })
        }

        /// The lines of the job files in the inbox (which are removed), one array per file.
        func takeJobs() throws -> [[SourceJobFile.Line]] {
            try SpoolLayout.visibleNames(in: spool.layout.inbox).map { name in
                let path = "\(spool.layout.inbox)/\(name)"
                #expect(name.hasSuffix(".jsonl"))
                let text = try String(contentsOfFile: path, encoding: .utf8)
                try FileManager.default.removeItem(atPath: path)
                return try text.split(separator: "\n").map {
                    try JSONDecoder().decode(SourceJobFile.Line.self, from: Data($0.utf8))
                }
            }
        }
    }

    /// A folder served by scripts/source_server.py (ETag, 304 on If-None-Match, 503 under /fail/).
    final class Site: Sendable {
        let folder: String
        let server: ScriptServer
        init() throws {
            folder = NSTemporaryDirectory() + "decant-sources-site-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            server = try #require(ScriptServer("source_server.py", arguments: [folder]))
        }
        func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)/\(path)" }
        func put(_ path: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(path)"))
        }
        /// The requests served so far ("GET /feed.rss 304").
        var requests: [String] {
            ((try? String(contentsOfFile: folder + "/requests.log", encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
        }
        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    static func rss(_ items: [(guid: String, link: String, title: String)]) -> String {
        """
        <?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
        \(items.map { "<item><guid>\($0.guid)</guid><link>\($0.link)</link><title>\($0.title)</title><category>Harbour</category><author>ed@news.example (Ed)</author><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>" }.joined())
        </channel></rss>
        """
    }

    static func urlset(_ entries: [(loc: String, lastmod: String)]) -> String {
        """
        <?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        \(entries.map { "<url><loc>\($0.loc)</loc><lastmod>\($0.lastmod)</lastmod></url>" }.joined())
        </urlset>
        """
    }

    @Test func aFeedThatChangesBetweenPollsOffersOnlyItsNewEntriesAndA304OffersNothing() async throws {
        let h = try Harness()
        defer { h.spool.remove() }
        let site = try Site()
        try site.put("feed.rss", Self.rss([("id-1", "https://news.example/1", "One"), ("id-2", "https://news.example/2", "Two")]))
        try h.store.subscribe(url: site.url("feed.rss"), intervalSeconds: 600, tags: ["news", "local"], now: h.clock.now())
        let running = RunningFetcher(config: h.spool.config.fetch)
        let poller = h.poller(running.fetcher)

        _ = await poller.pass(now: h.clock.now())
        let first = try h.takeJobs()
        #expect(first.count == 1)
        let lines = try #require(first.first)
        #expect(lines.map(\.url) == ["https://news.example/1", "https://news.example/2"])
        #expect(lines[0].tags == ["news", "local"])
        #expect(lines[0].sourceFeed == site.url("feed.rss"))
        #expect(lines[0].source == "page")
        #expect(lines[0].hints?.title == "One")
        #expect(lines[0].hints?.entryId == "id-1")
        #expect(lines[0].hints?.categories == ["Harbour"])
        #expect(lines[0].hints?.published == "2024-03-05T10:00:00Z")

        // Not due yet: nothing is fetched.
        h.clock.advance(by: 599)
        #expect(await poller.pass(now: h.clock.now()).polled == 0)
        // Due, unchanged: a 304, nothing offered.
        h.clock.advance(by: 1)
        #expect(await poller.pass(now: h.clock.now()).polled == 1)
        #expect(site.requests.last == "GET /feed.rss 304")
        #expect(try h.takeJobs().isEmpty)

        // A new entry, and an old one whose id changed but not its URL: only the new one is offered.
        try site.put("feed.rss", Self.rss([("id-3", "https://news.example/3", "Three"),
                                           ("id-2-renamed", "https://news.example/2", "Two"),
                                           ("id-1", "https://news.example/1", "One")]))
        h.clock.advance(by: 600)
        _ = await poller.pass(now: h.clock.now())
        #expect(site.requests.last == "GET /feed.rss 200")
        #expect(try h.takeJobs().map { $0.map(\.url) } == [["https://news.example/3"]])
        let source = try #require(try h.store.source(site.url("feed.rss")))
        #expect(source.failures == 0)
        #expect(source.nextPoll == h.clock.now().timeIntervalSince1970 + 600)
    }

    @Test func aSitemapWhoseLastmodChangesOffersOnlyTheChangedPageAgain() async throws {
        let h = try Harness()
        defer { h.spool.remove() }
        let site = try Site()
        try site.put("sitemap.xml", Self.urlset([("https://site.example/a", "2024-01-01"), ("https://site.example/b", "2024-01-01")]))
        try h.store.subscribe(url: site.url("sitemap.xml"), intervalSeconds: 3600, tags: [], now: h.clock.now())
        let running = RunningFetcher(config: h.spool.config.fetch)
        let poller = h.poller(running.fetcher)
        _ = await poller.pass(now: h.clock.now())
        let first = try h.takeJobs()
        #expect(first.map { $0.map(\.url) } == [["https://site.example/a", "https://site.example/b"]])
        #expect(first.first?.first?.recrawlHours == nil)
        #expect(first.first?.first?.tags == nil)

        try site.put("sitemap.xml", Self.urlset([("https://site.example/a", "2024-01-01"),
                                                 ("https://site.example/b", "2024-02-01T08:00:00Z")]))
        h.clock.advance(by: 3600)
        _ = await poller.pass(now: h.clock.now())
        let again = try h.takeJobs()
        #expect(again.map { $0.map(\.url) } == [["https://site.example/b"]])
        // Offered again on purpose: fetched even within the spool's duplicate window.
        #expect(again.first?.first?.recrawlHours == 0)

        // An older lastmod is no change.
        try site.put("sitemap.xml", Self.urlset([("https://site.example/a", "2023-12-01"),
                                                 ("https://site.example/b", "2024-02-01T08:00:00Z")]))
        h.clock.advance(by: 3600)
        _ = await poller.pass(now: h.clock.now())
        #expect(try h.takeJobs().isEmpty)
    }

    @Test func aSitemapIndexReadsOnlyTheSitemapsWhoseLastmodChanged() async throws {
        let h = try Harness()
        defer { h.spool.remove() }
        let site = try Site()
        func index(_ lastmodB: String) -> String {
            """
            <?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>\(site.url("a.xml"))</loc><lastmod>2024-01-01</lastmod></sitemap>
            <sitemap><loc>\(site.url("b.xml"))</loc><lastmod>\(lastmodB)</lastmod></sitemap>
            </sitemapindex>
            """
        }
        try site.put("index.xml", index("2024-01-01"))
        try site.put("a.xml", Self.urlset([("https://site.example/a1", "2024-01-01")]))
        try site.put("b.xml", Self.urlset([("https://site.example/b1", "2024-01-01")]))
        try h.store.subscribe(url: site.url("index.xml"), intervalSeconds: 3600, tags: [], now: h.clock.now())
        let running = RunningFetcher(config: h.spool.config.fetch)
        let poller = h.poller(running.fetcher)
        _ = await poller.pass(now: h.clock.now())
        #expect(try h.takeJobs().map { $0.map(\.url) } == [["https://site.example/a1", "https://site.example/b1"]])

        try site.put("index.xml", index("2024-02-01"))
        try site.put("b.xml", Self.urlset([("https://site.example/b1", "2024-01-01"), ("https://site.example/b2", "2024-02-01")]))
        h.clock.advance(by: 3600)
        let before = site.requests.count
        _ = await poller.pass(now: h.clock.now())
        #expect(Array(site.requests.dropFirst(before)) == ["GET /index.xml 200", "GET /b.xml 200"])
        #expect(try h.takeJobs().map { $0.map(\.url) } == [["https://site.example/b2"]])
    }

    /// Answers the source with 503 while `failing`, else with a one-entry feed.
    final class Switchable: Sendable {
        let failing = Mutex(true)
        let fetches = Mutex(0)
        func answer(_ url: String) -> FetchOutcome {
            fetches.withLock { $0 += 1 }
            if failing.withLock({ $0 }) { return .deferred(url: url, retryAt: .distantPast, failure: .http(status: 503)) }
            let body = RecurringSourceTests.rss([("e1", "https://flaky.example/1", "One")])
            return .fetched(FetchedPage(url: url, finalURL: url, status: 200, contentType: "application/rss+xml",
                                        declaredCharset: nil, body: Data(body.utf8)))
        }
    }

    @Test func aFailingSourceBacksOffExponentiallyShowsInStatusAndASuccessResetsIt() async throws {
        let h = try Harness { $0.sources.backoffBaseSeconds = 100; $0.sources.backoffMaxSeconds = 250 }
        defer { h.spool.remove() }
        let stub = Switchable()
        let url = "https://flaky.example/feed.xml"
        try h.store.subscribe(url: url, intervalSeconds: 60, tags: [], now: h.clock.now())
        let poller = h.poller(StubFetcher { stub.answer($0) })
        var waits: [Double] = []
        for _ in 0..<3 {
            _ = await poller.pass(now: h.clock.now())
            let source = try #require(try h.store.source(url))
            let wait = source.nextPoll - h.clock.now().timeIntervalSince1970
            waits.append(wait)
            // Just before its time nothing is polled.
            h.clock.advance(by: wait - 1)
            #expect(await poller.pass(now: h.clock.now()).polled == 0)
            h.clock.advance(by: 1)
        }
        #expect(waits == [100, 200, 250])
        #expect(stub.fetches.withLock { $0 } == 3)

        let status = SpoolStatus.collect(layout: h.spool.layout, journal: h.store.journal, now: h.clock.now())
        let sources = try #require(status.sources)
        #expect(sources.subscribed == 1 && sources.failing == 1)
        #expect(sources.failingSources.first?.failures == 3)
        #expect(sources.failingSources.first?.lastError?.contains("503") == true)
        #expect(status.text.contains("sources: 1 subscribed, 1 failing"))
        #expect(status.prometheus.contains("decant_source_failures{url=\"\(url)\"} 3"))

        stub.failing.withLock { $0 = false }
        _ = await poller.pass(now: h.clock.now())
        let healed = try #require(try h.store.source(url))
        #expect(healed.failures == 0 && healed.lastError == nil)
        #expect(healed.nextPoll == h.clock.now().timeIntervalSince1970 + 60)
        #expect(try h.takeJobs().map { $0.map(\.url) } == [["https://flaky.example/1"]])
        #expect(try h.store.status().failing == 0)
    }

    @Test func theServicePollsDueSourcesAndHandsTheirEntriesToTheInbox() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        // Ahead of the machine's time, so the job file the poller writes is already stable by this clock.
        let clock = ManualClock(Date().addingTimeInterval(60))
        let stub = Switchable()
        stub.failing.withLock { $0 = false }
        let store = SourceStore(journal: try Journal(path: spool.layout.journal))
        try store.subscribe(url: "https://flaky.example/feed.xml", intervalSeconds: 3600, tags: [], now: clock.now())
        let service = SpoolService(config: spool.config, options: .init(once: true),
                                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, clock: clock,
                                   makeFetcher: { _, _ in StubFetcher { url in
                                       url.hasSuffix("feed.xml") ? stub.answer(url)
                                           : StubFetcher.page(url, text: "The harbour ferry runs again from Monday, the port authority said.")
                                   } })
        try await service.run()
        #expect(stub.fetches.withLock { $0 } == 1)
        let source = try #require(try store.source("https://flaky.example/feed.xml"))
        #expect(source.lastPolled == clock.now().timeIntervalSince1970)
        #expect(source.failures == 0)
        // The job file was claimed by the same run: the inbox is empty again.
        #expect(SpoolLayout.visibleNames(in: spool.layout.inbox).isEmpty)
        let status = try JSONDecoder().decode(SpoolStatus.self, from: Data(contentsOf: URL(fileURLWithPath: spool.layout.statusFile)))
        #expect(status.sources?.subscribed == 1)
        // A second run within the interval polls nothing.
        try await service.run()
        #expect(stub.fetches.withLock { $0 } == 1)
    }

    @Test func anOPMLImportSubscribesEveryFeedWithItsFoldersAsTags() throws {
        let h = try Harness()
        defer { h.spool.remove() }
        let path = FixturePaths.url("sources/subscriptions.opml").path
        let summary = try OPMLImport.run(path: path, store: h.store, intervalSeconds: 7200)
        #expect(summary == .init(feeds: 3, added: 3, truncated: false))
        let sources = try h.store.all()
        #expect(sources.map(\.url) == ["https://blog.example.net/atom.xml", "https://deep.example.com/rss",
                                       "https://top.example.com/feed.json"])
        #expect(sources.map(\.tags) == [["Tech"], ["Tech", "Deeper"], []])
        #expect(sources.allSatisfy { $0.intervalSeconds == 7200 })
        #expect(try OPMLImport.run(path: path, store: h.store, intervalSeconds: 7200).added == 0)
    }

    @Test(arguments: [("30m", 1800.0), ("90s", 90), ("2h", 7200), ("1d", 86_400), ("30d", 2_592_000)])
    func pollIntervalsReadTheirUnit(_ text: String, _ seconds: Double) throws {
        #expect(try PollInterval(parsing: text).seconds == seconds)
    }

    @Test(arguments: ["0s", "59s", "31d", "30", "m", "-5m", "1.5h", "1w", ""])
    func pollIntervalsOutsideOneMinuteToThirtyDaysOrUnreadableAreRefused(_ text: String) {
        #expect(throws: PollInterval.Problem.self) { try PollInterval(parsing: text) }
    }

    @Test func entriesAreSeenByIdOrByURL() throws {
        let h = try Harness()
        defer { h.spool.remove() }
        try h.store.subscribe(url: "https://s.example/f", intervalSeconds: 60, tags: [])
        try h.store.polled("https://s.example/f", present: [.init(id: "a", url: "https://s.example/1")], validators: nil)
        let fresh = try h.store.freshness(of: [.init(id: "a", url: "https://s.example/other"),
                                              .init(id: "b", url: "https://s.example/1"),
                                              .init(id: "c", url: "https://s.example/2")], source: "https://s.example/f")
        #expect(fresh == [.seen, .seen, .new])
        // Another source's entries are its own.
        #expect(try h.store.freshness(of: [.init(id: "a", url: "https://s.example/1")], source: "https://t.example/f") == [.new])
    }

    // MARK: The commands

    static func decant(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let (status, out, err) = try ChildProcess.run(binary, arguments, seconds: 60)
        return (status, String(decoding: out, as: UTF8.self), err)
    }

    @Test func subscribeSourcesAndUnsubscribeRoundTripThroughTheJournal() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let config = spool.folder + "/pipeline.json"
        try Data(#"{"spool": "spool", "sources": {"defaultIntervalSeconds": 7200}}"#.utf8).write(to: URL(fileURLWithPath: config))
        var run = try Self.decant(["subscribe", "https://news.example/feed.xml", "--every", "30m", "--tags", "a, b", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("subscribed https://news.example/feed.xml every 30m"))
        run = try Self.decant(["subscribe", "https://news.example/sitemap.xml", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        run = try Self.decant(["sources", "--json", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        let listed = try JSONDecoder().decode([SourceSummary].self, from: Data(run.stdout.utf8))
        #expect(listed.map(\.url) == ["https://news.example/feed.xml", "https://news.example/sitemap.xml"])
        #expect(listed.map(\.interval) == ["30m", "2h"])
        #expect(listed[0].tags == ["a", "b"])
        #expect(listed.allSatisfy { $0.failures == 0 })
        run = try Self.decant(["sources", "--config", config])
        #expect(run.stdout.contains("https://news.example/feed.xml  every 30m  next poll "))
        run = try Self.decant(["unsubscribe", "https://news.example/feed.xml", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        run = try Self.decant(["sources", "--json", "--config", config])
        #expect(try JSONDecoder().decode([SourceSummary].self, from: Data(run.stdout.utf8)).map(\.url)
                == ["https://news.example/sitemap.xml"])
        run = try Self.decant(["enqueue", "--opml", FixturePaths.url("sources/subscriptions.opml").path, "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("subscribed 3 of 3 feeds"))
    }

    @Test(arguments: [
        (["subscribe", "https://news.example/feed.xml", "--every", "0s"], "outside the allowed intervals"),
        (["subscribe", "https://news.example/feed.xml", "--every", "soon"], "not an interval"),
        (["subscribe", "ftp://news.example/feed.xml"], "only http and https"),
        (["subscribe", "feed.xml"], "not an absolute http or https URL"),
        (["unsubscribe", "https://never.example/feed.xml"], "not subscribed"),
        (["enqueue", "--opml", "/nonexistent/subscriptions.opml"], "cannot read"),
        (["enqueue", "--opml", "x.opml", "https://a.example/"], "not both"),
    ])
    func badSourceArgumentsExitTwoSayingWhy(_ arguments: [String], _ message: String) throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let config = spool.folder + "/pipeline.json"
        try Data(#"{"spool": "spool"}"#.utf8).write(to: URL(fileURLWithPath: config))
        let run = try Self.decant(arguments + ["--config", config])
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
