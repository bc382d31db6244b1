import Foundation
import Logging
import Testing
import Synchronization
import DecantCore
import DecantSpool
import DecantPostgres
import PostgresNIO
import DecantTestSupport

/// Articles in the shared queue: stored only with the lease that delivers them, announced, and
/// copied out by `decant collect` from a cursor that survives a restart.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason), .timeLimit(.minutes(2)))
struct SharedArticlesTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func article(_ n: Int, markdown: String? = nil) -> SharedArticle {
        SharedArticle(id: String(format: "a%04d", n), url: "https://a.test/\(n)", fingerprint: "f\(n)",
                      json: "{\n  \"title\" : \"Article \(n)\",\n  \"url\" : \"https://a.test/\(n)\"\n}\n",
                      markdown: markdown)
    }

    /// Enqueues and leases `urls` on `node`, then delivers each as `article(n)`.
    func deliver(_ numbers: [Int], on node: PostgresQueue) async throws {
        let urls = numbers.map { "https://a.test/\($0)" }
        _ = try await node.enqueue(job: "j", urls: PostgresQueueTests.lines(urls), offset: 0, lines: urls.count,
                                   windowHours: 0, now: t0)
        let leases = try await node.lease(limit: urls.count, now: t0)
        #expect(leases.count == urls.count)
        for lease in leases {
            let n = Int(lease.url.split(separator: "/").last!)!
            try await node.deliver(lease, article: Self.article(n, markdown: n == numbers.first ? "# Article \(n)\n" : nil),
                                   status: 200, now: t0)
        }
    }

    @Test func anArticleIsStoredOnlyWithTheLeaseThatDeliversItAndOnlyOnce() async throws {
        try await PostgresTestDatabase.scoped { database in
            let a = try await database.open(node: "a", leaseSeconds: 10), b = try await database.open(node: "b", leaseSeconds: 10)
            let url = "https://a.test/1"
            _ = try await a.enqueue(job: "j", urls: PostgresQueueTests.lines([url]), offset: 0, lines: 1, windowHours: 24, now: t0)
            let old = try #require(try await a.lease(limit: 1, now: t0).first)
            let taken = try #require(try await b.lease(limit: 1, now: t0.addingTimeInterval(11)).first)
            await #expect(throws: QueueError.leaseLost(url: url)) {
                try await a.deliver(old, article: Self.article(1), status: 200, now: t0.addingTimeInterval(12))
            }
            #expect(try await a.articles(after: 0, limit: 10).isEmpty, "a lost lease stores nothing")
            let seq = try await b.deliver(taken, article: Self.article(1), status: 200, now: t0.addingTimeInterval(12))
            await #expect(throws: QueueError.leaseLost(url: url)) {
                try await b.deliver(taken, article: Self.article(1), status: 200, now: t0.addingTimeInterval(13))
            }
            let stored = try await a.articles(after: 0, limit: 10)
            #expect(stored.map(\.seq) == [seq])
            #expect(stored.first?.node == "b" && stored.first?.json == Self.article(1).json)
            #expect(try await a.state(of: url) == .delivered)
            await a.close(); await b.close()
        }
    }

    @Test func collectWritesEachArticleOnceAndAfterARestartOnlyTheNewOnes() async throws {
        let folder = NSTemporaryDirectory() + "decant-collect-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            try await deliver([1, 2, 3], on: node)
            let collector = ArticleCollector(queue: node, output: .folder(folder))
            #expect(try await collector.run(follow: false) == 3)
            for n in 1...3 {
                let json = try String(contentsOfFile: "\(folder)/\(Self.article(n).id).json", encoding: .utf8)
                #expect(json == Self.article(n).json)
            }
            #expect(try String(contentsOfFile: "\(folder)/a0001.md", encoding: .utf8) == "# Article 1\n")
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/a0002.md"))
            // Started again: nothing new, nothing written twice.
            #expect(try await ArticleCollector(queue: node, output: .folder(folder)).run(follow: false) == 0)
            try await deliver([4], on: node)
            #expect(try await ArticleCollector(queue: node, output: .folder(folder)).run(follow: false) == 1)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            #expect(names.sorted() == ["a0001.json", "a0002.json", "a0003.json", "a0004.json"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/.tmp").isEmpty)
            await node.close()
        }
    }

    @Test func aFollowingCollectorWritesAnArticleAsSoonAsItIsAnnounced() async throws {
        let folder = NSTemporaryDirectory() + "decant-collect-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            var configured = ArticleCollector(queue: node, output: .folder(folder))
            configured.waitSeconds = 600  // only the announcement can wake it within the test
            let collector = configured
            let following = Task { try await collector.run(follow: true) }
            try await Task.sleep(for: .milliseconds(300))
            try await deliver([7], on: node)
            let path = "\(folder)/a0007.json"
            let end = ContinuousClock.now + .seconds(20)
            while !FileManager.default.fileExists(atPath: path) && ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(FileManager.default.fileExists(atPath: path), "the announced article was written")
            following.cancel()
            let ended = await SpoolThreadsTests.within(seconds: 20) { try? await following.value }
            #expect(ended == .some(1), "a cancelled collector ends, having written one article")
            await node.close()
        }
    }

    @Test func anArticleWhoseIDCannotNameAFileIsSkippedAndNothingLeavesTheFolder() async throws {
        let parent = NSTemporaryDirectory() + "decant-collect-" + UUID().uuidString
        let folder = parent + "/out"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            try await PostgresTestDatabase.admin(database: database.name) { client in
                try await client.query("""
                    INSERT INTO articles (id, url, fingerprint, json, node, delivered_at)
                    VALUES ('../escaped', 'https://a.test/x', 'f', '{}', 'other', 0)
                    """)
            }
            try await deliver([2], on: node)
            let skipped = Mutex<[ArticleCollector.Failure]>([])
            let written = try await ArticleCollector(queue: node, output: .folder(folder))
                .run(follow: false) { failure in skipped.withLock { $0.append(failure) } }
            #expect(written == 2)
            #expect(skipped.withLock { $0 } == [.unsafeID(seq: 1, id: "../escaped")])
            #expect(!FileManager.default.fileExists(atPath: "\(parent)/escaped.json"))
            #expect(FileManager.default.fileExists(atPath: "\(folder)/a0002.json"))
            await node.close()
        }
    }

    @Test func linesCarryEachArticleWithItsSeqAndTheCursorFileKeepsThePosition() async throws {
        let cursor = NSTemporaryDirectory() + "decant-cursor-" + UUID().uuidString + ".json"
        defer { unlink(cursor) }
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            try await deliver([1, 2], on: node)
            let lines = Collected()
            let output = ArticleCollector.Output.lines { data in lines.items.withLock { $0.append(data) } }
            #expect(try await ArticleCollector(queue: node, output: output, cursorPath: cursor).run(follow: false) == 2)
            #expect(try await ArticleCollector(queue: node, output: output, cursorPath: cursor).run(follow: false) == 0)
            let written = lines.items.withLock { $0 }
            let records = try written.map {
                try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any])
            }
            #expect(records.compactMap { $0["seq"] as? Int } == [1, 2])
            #expect(records.compactMap { ($0["article"] as? [String: Any])?["url"] as? String }
                    == ["https://a.test/1", "https://a.test/2"])
            #expect(written.allSatisfy { $0.last == 0x0A && $0.dropLast().firstIndex(of: 0x0A) == nil })
            await node.close()
        }
    }

    @Test func decantCollectPrintsTheArticlesAsLinesAndARunWithTheSameCursorPrintsOnlyNewOnes() async throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let dir = NSTemporaryDirectory() + "decant-collect-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "a")
            try await deliver([1, 2], on: node)
            let settings = database.settings
            try Data("\(settings.password ?? "")\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/password"))
            try Data("""
                {"spool": "\(dir)/spool", "queue": {"backend": "postgres", "postgres": {
                  "url": "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable",
                  "passwordFile": "\(dir)/password"}}}
                """.utf8).write(to: URL(fileURLWithPath: "\(dir)/pipeline.json"))
            let arguments = ["collect", "--cursor", "\(dir)/cursor.json", "--config", "\(dir)/pipeline.json"]
            let first = try ChildProcess.run(binary, arguments, seconds: 60)
            #expect(first.status == 0, "\(first.stderr)")
            let lines = String(decoding: first.stdout, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.contains(#""url":"https://a.test/1""#) == true, "\(lines)")
            let second = try ChildProcess.run(binary, arguments, seconds: 60)
            #expect(second.status == 0 && second.stdout.isEmpty, "\(second.stderr)")
            await node.close()
        }
    }
}

/// Lines a test's collector wrote.
final class Collected: Sendable {
    let items = Mutex<[Data]>([])
}

/// `decant collect` reads the shared queue only.
@Suite struct CollectCommandTests {
    @Test func collectWithTheSQLiteBackendExitsTwoSayingWhatItNeeds() throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let dir = NSTemporaryDirectory() + "decant-collect-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(#"{"spool": "\#(dir)/spool"}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/pipeline.json"))
        let run = try ChildProcess.run(binary, ["collect", "--out", "\(dir)/articles", "--config", "\(dir)/pipeline.json"],
                                       seconds: 60)
        #expect(run.status == 2)
        #expect(run.stderr.contains("queue.backend \"postgres\""), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/articles"))
    }

    @Test func waitingForArticlesLongerThanOneOperationsBoundIsNoError() async throws {
        try await PostgresTestDatabase.scoped { database in
            // `collect --follow` waits 60 s for an article, operations are bounded by 30 s: here 6 s and 3 s.
            let reader = try await PostgresQueue.open(settings: database.settings, node: "reader", leaseSeconds: 60,
                                                      logger: Logger(label: "test.collect"), registerNode: false,
                                                      operationTimeout: 3)
            let start = Date()
            try await reader.waitForArticle(after: 0, seconds: 6)
            #expect(Date().timeIntervalSince(start) >= 5.9, "waited the 6 s asked for")
            await reader.close()
        }
    }

    @Test func articlesBecomeVisibleInSeqOrderSoACursorNeverPassesOneStillCommitting() async throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try await PostgresTestDatabase.scoped { database in
            let node = try await database.open(node: "b")
            _ = try await node.enqueue(job: "j", urls: PostgresQueueTests.lines(["https://a.test/1"]), offset: 0, lines: 1,
                                       windowHours: 0, now: t0)
            let lease = try #require(try await node.lease(limit: 1, now: t0).first)
            let article = SharedArticlesTests.article(1)
            let delivering: Task<Int64, any Error> = try await PostgresTestDatabase.admin(database: database.name) { client in
                try await client.withTransaction(logger: Logger(label: "test.slow")) { connection in
                    // Another node's delivery: its seq drawn, its commit slow.
                    try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.articlesLock))")
                    try await connection.query("""
                        INSERT INTO articles (id, url, fingerprint, json, node, delivered_at)
                        VALUES ('slow', 'https://a.test/slow', 'f', '{}', 'a', 0)
                        """)
                    let delivering = Task { try await node.deliver(lease, article: article, status: 200, now: t0) }
                    try await Task.sleep(for: .milliseconds(600))
                    // b's delivery waits for this commit instead of showing a later seq first.
                    #expect(try await node.articles(after: 0, limit: 10).isEmpty)
                    return delivering
                }
            }
            let seq = try await delivering.value
            let stored = try await node.articles(after: 0, limit: 10)
            #expect(stored.map(\.id) == ["slow", article.id] && stored.last?.seq == seq)
        }
    }
}
