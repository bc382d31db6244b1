import Foundation
import Logging
import Testing
import DecantCore
import DecantSpool
import DecantFetch
import DecantPostgres
import DecantCluster
import DecantExtract
import DecantTestSupport

/// Nodes of one cluster, each with its own spool, on one shared queue: every URL is delivered once,
/// into the articles table, whichever node's inbox listed it and whichever node fetched it.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(3)))
struct ClusterNodeTests {
    static func spool(_ leaseSeconds: Double = 30) throws -> TestSpool {
        try TestSpool {
            $0.queue.stableSeconds = 0
            $0.queue.leaseSeconds = leaseSeconds
            $0.fetch.perHostDelayMs = 0
            $0.fetch.perHostConcurrency = 4
        }
    }

    static let fetcher = StubFetcher { url in
        StubFetcher.page(url, title: "Page \(url.split(separator: "/").last ?? "")",
                         text: "The council of \(url) met on Monday and agreed on the new timetable for the harbour ferries.")
    }

    static func node(_ name: String, _ spool: TestSpool, _ queue: PostgresQueue, once: Bool = true,
                     fetcher: any PageFetching = fetcher) -> ClusterNode {
        var config = spool.config
        config.node.name = name
        return ClusterNode(config: config, options: .init(once: once), queue: queue, fetcher: fetcher,
                           extractor: Extractor(), logger: Logger(label: "test.\(name)") { _ in SwiftLogNoOpLogHandler() })
    }

    static func urls(_ range: Range<Int>) -> [String] { range.map { "https://h\($0 % 5).example/story/\($0)" } }

    @Test func twoNodesWithOverlappingJobsDeliverEveryURLExactlyOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spoolA = try Self.spool(), spoolB = try Self.spool()
            defer { spoolA.remove(); spoolB.remove() }
            try spoolA.drop("a.txt", Self.urls(0..<30).joined(separator: "\n") + "\n")
            try spoolB.drop("b.txt", Self.urls(15..<45).joined(separator: "\n") + "\nnot a url\n")
            let a = try await database.open(node: "a"), b = try await database.open(node: "b")
            let nodeA = Self.node("a", spoolA, a), nodeB = Self.node("b", spoolB, b)
            async let doneA = nodeA.run()
            async let doneB = nodeB.run()
            let (finishedA, finishedB) = try await (doneA, doneB)
            #expect(finishedA + finishedB == 45)
            let stored = try await a.articles(after: 0, limit: 1000)
            #expect(stored.count == 45, "one article per URL")
            #expect(Set(stored.map(\.url)) == Set(Self.urls(0..<45)))
            #expect(try await a.counts() == [.delivered: 45])
            // Each node keeps its own out/ copies of what it delivered; together, every article.
            let local = try spoolA.articles().map(\.id) + spoolB.articles().map(\.id)
            #expect(local.count == 45 && Set(local) == Set(stored.map(\.id)))
            #expect(spoolA.files(spoolA.layout.work, suffix: "").isEmpty && spoolB.files(spoolB.layout.work, suffix: "").isEmpty)
            #expect(spoolB.files(spoolB.layout.failed).count == 1, "the bad line of b.txt is in failed/")
            // Each node leaves status.json and decant.prom with the cluster's view at its end.
            let prom = try String(contentsOfFile: spoolA.layout.promFile, encoding: .utf8)
            #expect(prom.contains("decant_cluster_urls{state=\"delivered\"} 45\n"), "\(prom)")
            #expect(prom.contains("decant_cluster_node_in_flight{node=\"a\"} 0\n") && prom.contains("decant_spool_files{folder=\"work\"} 0\n"))
            let status = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spoolB.layout.statusFile))) as? [String: Any])
            #expect(((status["cluster"] as? [String: Any])?["urls"] as? [String: Int])?["delivered"] == 45)
        }
    }

    @Test func aJSONLJobsTagsReachTheArticleInTheTable() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spool = try Self.spool()
            defer { spool.remove() }
            try spool.drop("tagged.jsonl", #"{"url": "https://tags.example/one", "tags": ["harbour", "ferry"], "priority": 9}"# + "\n")
            let node = try await database.open(node: "a")
            #expect(try await Self.node("a", spool, node).run() == 1)
            let stored = try #require(try await node.articles(after: 0, limit: 10).first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(stored.json.utf8)) as? [String: Any])
            #expect((object["tags"] as? [String]).map { Set($0).isSuperset(of: ["harbour", "ferry"]) } == true, "\(stored.json)")
        }
    }

    @Test func theLeasesOfANodeKilledMidFetchAreDeliveredByAnotherAfterTheyExpire() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spool = try Self.spool(2)
            defer { spool.remove() }
            // A node leases three URLs and dies (kill -9: nothing is returned, no renewal).
            let dead = try await database.open(node: "dead", leaseSeconds: 2)
            let urls = Self.urls(0..<3)
            _ = try await dead.enqueue(job: "j", urls: urls.enumerated().map { ($1, $0 + 1) }, offset: 0, lines: 3,
                                       windowHours: 24, now: Date())
            #expect(try await dead.lease(limit: 3, now: Date()).count == 3)
            let alive = try await database.open(node: "alive", leaseSeconds: 2)
            #expect(try await Self.node("alive", spool, alive).run() == 3)
            let stored = try await alive.articles(after: 0, limit: 10)
            #expect(Set(stored.map(\.url)) == Set(urls) && stored.allSatisfy { $0.node == "alive" })
        }
    }

    @Test func aFeedInAJobIsExpandedThroughTheInboxAndItsEntriesDeliveredOnceAndAMissingPageLeavesAFailedRecord() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spool = try Self.spool()
            defer { spool.remove() }
            let feed = "https://example.com/feed.xml", missing = "https://example.com/gone"
            let rss = try SourceFixture.data("rss2.xml")
            let fetcher = StubFetcher { url in
                if url == feed { return SpoolExpansionTests.body(url, "application/rss+xml", rss) }
                if url == missing { return .failed(url: url, failure: .http(status: 404)) }
                return StubFetcher.page(url, title: "Entry", text: "The harbour reopened on Monday after the storm damage was repaired by the crews.")
            }
            try spool.drop("j.txt", "\(feed)\n\(missing)\n")
            let queue = try await database.open(node: "n")
            _ = try await Self.node("n", spool, queue, fetcher: fetcher).run()
            let stored = try await queue.articles(after: 0, limit: 10)
            #expect(stored.count == 3, "the feed's three entries, not the feed itself: \(stored.map(\.url))")
            #expect(!stored.contains { $0.url == feed })
            #expect(try await queue.state(of: feed) == .delivered)
            #expect(try await queue.counts() == [.delivered: 4, .failed: 1])
            let failed = try spool.records(spool.layout.failed)
            #expect(failed.map(\.url) == [missing] && failed.first?.status == 404)
        }
    }

    /// Polls `condition` every 50 ms for `seconds` at most (the test's own wait, not the node's).
    static func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test func anIdleNodeIsWokenByURLsAnotherNodeQueues() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spool = try Self.spool()
            defer { spool.remove() }
            let idle = try await database.open(node: "idle"), other = try await database.open(node: "other")
            let node = Self.node("idle", spool, idle, once: false)
            let running = Task { try await node.run() }
            defer { running.cancel() }
            try await Task.sleep(for: .seconds(1.5))  // the node is in its idle wait (10 s without an event)
            let urls = Self.urls(0..<2)
            _ = try await other.enqueue(job: "elsewhere", urls: urls.enumerated().map { ($1, $0 + 1) }, offset: 0, lines: 2,
                                        windowHours: 24, now: Date())
            let woke = try await Self.eventually(5) { try await idle.counts() == [.delivered: 2] }
            #expect(woke, "the NOTIFY of the other node's enqueue woke the idle node")
        }
    }

    @Test func anIdleNodeClaimsAFileDroppedIntoItsInboxAtOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spool = try Self.spool()
            defer { spool.remove() }
            let queue = try await database.open(node: "n")
            let running = Task { try await Self.node("n", spool, queue, once: false).run() }
            defer { running.cancel() }
            try await Task.sleep(for: .seconds(1.5))
            try spool.drop("late.txt", Self.urls(0..<2).joined(separator: "\n") + "\n")
            let woke = try await Self.eventually(5) { try await queue.counts() == [.delivered: 2] }
            #expect(woke, "inotify woke the idle node for its inbox")
        }
    }

    /// A fetcher whose requests never end until cancelled (a node stopped mid-fetch).
    struct HangingFetcher: PageFetching {
        func fetch(_ url: String) async -> FetchOutcome {
            try? await Task.sleep(for: .seconds(600))
            return .deferred(url: url, retryAt: Date(), failure: .cancelled)
        }
    }

    @Test func aStoppedNodeGivesItsURLsInFlightBackToTheQueueAtOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let spool = try Self.spool()
            defer { spool.remove() }
            let queue = try await database.open(node: "n")
            try spool.drop("j.txt", Self.urls(0..<3).joined(separator: "\n") + "\n")
            let running = Task { try await Self.node("n", spool, queue, once: false, fetcher: HangingFetcher()).run() }
            #expect(try await Self.eventually(10) { try await queue.counts() == [.inflight: 3] })
            running.cancel()
            _ = try await running.value
            // Before their leases (60 s) expire: the stop gave them back.
            #expect(try await queue.counts() == [.pending: 3])
        }
    }
}

/// `decant run` with the postgres backend.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(3)))
struct ClusterRunCommandTests {
    @Test func decantRunOnceOnTheSharedQueueDeliversIntoTheArticlesTable() async throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        try await PostgresTestDatabase.scoped { database in
            let dir = NSTemporaryDirectory() + "decant-cluster-run-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: "\(dir)/pages", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            var lines: [String] = []
            for n in 0..<3 {
                let path = "\(dir)/pages/p\(n).html"
                try Data("""
                    <html><head><title>Page \(n)</title></head><body><article><h1>Page \(n)</h1>
                    <p>The library of town \(n) opens a new reading room on the second floor this week, the council said.</p>
                    <p>Opening hours are longer on Saturdays, and the children's corner gets new shelves and seats.</p>
                    </article></body></html>
                    """.utf8).write(to: URL(fileURLWithPath: path))
                lines.append("file://\(path)")
            }
            let settings = database.settings
            try Data("\(settings.password ?? "")\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/password"))
            try Data("""
                {"spool": "\(dir)/spool", "node": {"name": "cli-node"},
                 "fetch": {"allowFileUrls": true},
                 "queue": {"backend": "postgres", "stableSeconds": 0, "postgres": {
                   "url": "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable",
                   "passwordFile": "\(dir)/password"}}}
                """.utf8).write(to: URL(fileURLWithPath: "\(dir)/pipeline.json"))
            try FileManager.default.createDirectory(atPath: "\(dir)/spool/inbox", withIntermediateDirectories: true)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(dir)/spool/inbox/job.txt"))
            let run = try ChildProcess.run(binary, ["run", "--once", "--config", "\(dir)/pipeline.json"], seconds: 120)
            #expect(run.status == 0, "\(run.stderr)")
            let reader = try await database.open(node: "reader")
            let stored = try await reader.articles(after: 0, limit: 10)
            #expect(Set(stored.map(\.url)) == Set(lines), "\(run.stderr)")
            #expect(stored.allSatisfy { $0.node == "cli-node" })
            #expect(FileManager.default.fileExists(atPath: "\(dir)/spool/state.sqlite") == false, "no local journal")
        }
    }

    @Test func decantRunOnceWithTheDatabaseDownGivesUpWithExitOneNamingIt() throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let dir = NSTemporaryDirectory() + "decant-cluster-down-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("""
            {"spool": "\(dir)/spool", "queue": {"backend": "postgres", "postgres": {"url": "postgres://decant@127.0.0.1:1/queue"}}}
            """.utf8).write(to: URL(fileURLWithPath: "\(dir)/pipeline.json"))
        let run = try ChildProcess.run(binary, ["run", "--once", "--config", "\(dir)/pipeline.json"], seconds: 90)
        #expect(run.status == 1)
        #expect(run.stderr.contains("127.0.0.1:1") && run.stderr.contains("trying again"), "\(run.stderr)")
    }
}
