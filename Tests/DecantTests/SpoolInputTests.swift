import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import DecantCore
@testable import DecantExtract
@testable import DecantFetch
@testable import DecantSpool
import DecantTestSupport

/// No job file, inbox entry or page may stop the service, make it read what it should not, or
/// overwrite another record or article (issue 7, items 2–5, 8 and 10). Serialized, to keep the
/// load on a small machine low for the suites beside it that measure time.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SpoolInputTests {
    static let articleText = "The council voted on Tuesday to rebuild the old river bridge, ending a debate "
        + "that had divided the town for more than a decade and delayed every other project."

    /// A page at `finalURL` (asked for as `url`) whose canonical link is `canonical`.
    static func page(_ url: String, finalURL: String? = nil, canonical: String? = nil, text: String) -> FetchOutcome {
        let link = canonical.map { "<link rel=\"canonical\" href=\"\($0)\">" } ?? ""
        let html = "<html><head><title>Page</title>\(link)</head><body><article><h1>Page</h1>"
            + "<p>\(text)</p><p>\(text)</p></article></body></html>"
        return .fetched(FetchedPage(url: url, finalURL: finalURL ?? url, status: 200, contentType: "text/html",
                                    declaredCharset: "utf-8", body: Data(html.utf8)))
    }

    static let stub: SpoolService.FetcherFactory = { _, _ in
        StubFetcher { StubFetcher.page($0, text: articleText + " " + $0) }
    }

    // MARK: Names in failed/ (items 3 and 8)

    @Test func aBinaryJobFileWithAVeryLongNameIsRecordedAndTheServiceGoesOn() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let long = String(repeating: "b", count: 240) + ".bin"
        try Data([0x00, 0x01, 0x02]).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/\(long)"))
        try spool.drop("fine", "https://a.example/fine\n")
        try await spool.runOnce(fetcher: Self.stub)
        let records = try spool.jobRecords()
        #expect(records.map(\.job) == [SpoolName.bounded(long)])  // claimed into work/ under a bounded name
        #expect(records.first?.error.contains("binary") == true)
        let file = try #require(records.first?.file)
        #expect(file.utf8.count < 100)
        #expect(FileManager.default.fileExists(atPath: "\(spool.layout.failed)/\(file)"))
        #expect(try spool.articles().map(\.url) == ["https://a.example/fine"])
        // And again at the next start: nothing left to trip over.
        try await spool.runOnce(fetcher: Self.stub)
    }

    @Test func aJobFileNamedLikeAnotherOnesRecordOverwritesNothing() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let binary = Data([0x00, 0xFF])
        try binary.write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/report.error.json"))
        try await spool.runOnce(fetcher: Self.stub)
        try Data([0x00, 0xFE]).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/report"))
        try await spool.runOnce(fetcher: Self.stub)
        try Data([0x00, 0xFD]).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/report"))
        try await spool.runOnce(fetcher: Self.stub)
        let records = try spool.jobRecords()
        #expect(records.map(\.job).sorted() == ["report", "report", "report.error.json"])
        let files = records.compactMap(\.file)
        #expect(Set(files).count == 3)
        // Each moved file is still the one its record names.
        let contents = try files.map { try Data(contentsOf: URL(fileURLWithPath: "\(spool.layout.failed)/\($0)")) }
        #expect(Set(contents) == [binary, Data([0x00, 0xFE]), Data([0x00, 0xFD])])
    }

    // MARK: Symbolic links, FIFOs and folders (item 4)

    @Test func aSymlinkInTheInboxIsRefusedWithoutReadingItsTarget() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let secret = spool.folder + "/secret.txt"
        try Data("https://secret.example/password-1\nroot:x:0:0:root\n".utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.createSymbolicLink(atPath: "\(spool.layout.inbox)/passwd", withDestinationPath: secret)
        let log = LogCapture()
        try await spool.runOnce(fetcher: Self.stub, log: log)
        let records = try spool.jobRecords()
        #expect(records.map(\.job) == ["passwd"])
        #expect(records.first?.error.contains("symbolic link") == true)
        #expect(try Journal(path: spool.layout.journal).counts().isEmpty)
        #expect(spool.files(spool.layout.failed).filter { $0.hasPrefix("line-") }.isEmpty)
        for name in SpoolLayout.visibleNames(in: spool.layout.failed) where name.hasSuffix(".json") {
            let text = try String(contentsOfFile: "\(spool.layout.failed)/\(name)", encoding: .utf8)
            #expect(!text.contains("secret.example") && !text.contains("root:x"))
        }
        #expect(!log.lines.joined().contains("secret.example"))
        #expect(try String(contentsOfFile: secret, encoding: .utf8).contains("password-1"))  // the target is untouched
    }

    @Test func aFIFOAndAFolderInTheInboxAreRecordedOnceAndNeverBlock() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        #expect(mkfifo("\(spool.layout.inbox)/pipe", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: "\(spool.layout.inbox)/folder", withIntermediateDirectories: true)
        try spool.drop("fine", "https://a.example/fine\n")
        try await spool.runOnce(fetcher: Self.stub)
        try await spool.runOnce(fetcher: Self.stub)
        let records = try spool.jobRecords()
        #expect(records.map(\.job).sorted() == ["folder", "pipe"])
        #expect(records.first { $0.job == "pipe" }?.error.contains("FIFO") == true)
        #expect(records.first { $0.job == "folder" }?.error.contains("folder") == true)
        #expect(SpoolLayout.visibleNames(in: spool.layout.inbox).isEmpty)
        #expect(try spool.articles().count == 1)
    }

    // MARK: Article ids (item 5)

    @Test func aPageCannotReplaceAnotherArticleByDeclaringItsCanonical() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let victim = "https://news.example/real", attacker = "https://evil.example/fake"
        try spool.drop("job", "\(victim)\n\(attacker)\n")
        try await spool.runOnce(fetcher: { _, _ in
            StubFetcher { url in
                url == victim ? Self.page(url, canonical: victim, text: Self.articleText)
                    : Self.page(url, canonical: victim, text: "Forged text that claims to be the real article, "
                                + "long enough to be taken for an article by the cleaner's rules.")
            }
        })
        let articles = try spool.articles()
        #expect(articles.count == 2)
        let real = try #require(articles.first { $0.url == victim })
        #expect(real.id == ArticleID.of(url: victim))
        #expect(real.text.contains("river bridge"))
        let fake = try #require(articles.first { $0.url == attacker })
        #expect(fake.id == ArticleID.of(url: attacker))
        #expect(fake.canonicalUrl == victim)  // kept as data
    }

    @Test func twoURLsEndingAtOnePageAreReportedAsACollision() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let final = "https://news.example/story"
        try spool.drop("job", "https://news.example/a\nhttps://news.example/b\n")
        try await spool.runOnce(fetcher: { _, _ in
            StubFetcher { Self.page($0, finalURL: final, text: Self.articleText) }
        })
        let articles = try spool.articles()
        #expect(articles.map(\.id) == [ArticleID.of(url: final)])
        let failed = try spool.records(spool.layout.failed)
        #expect(failed.count == 1)
        let winner = try #require(articles.first?.url)
        #expect(failed.first?.error.contains("already belongs to \(winner)") == true, "\(failed)")
    }

    @Test func anArticleFileOfAnotherURLIsNotOverwritten() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let url = "https://news.example/p"
        let path = "\(spool.layout.out)/\(ArticleID.of(url: url)).json"
        let other = Data(#"{"id": "x", "url": "https://elsewhere.example/q", "title": "kept"}"#.utf8)
        try other.write(to: URL(fileURLWithPath: path))
        try spool.drop("job", url + "\n")
        try await spool.runOnce(fetcher: Self.stub)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == other)
        #expect(try spool.records(spool.layout.failed).first?.error.contains("elsewhere.example") == true)
    }

    // MARK: Extraction (item 2, the service's side)

    @Test func anExtractionErrorIsRecordedAsAFailureWithItsReason() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("job", "https://a.example/empty\n")
        try await spool.runOnce(fetcher: Self.stub, extractor: { _ in
            StubExtractor { (_: FetchedPage) throws(ExtractError) in throw .tooManyNodes(limit: 5) }
        })
        let failed = try spool.records(spool.layout.failed)
        #expect(failed.map(\.url) == ["https://a.example/empty"])
        #expect(failed.first?.error == ExtractError.tooManyNodes(limit: 5).description)
        #expect(failed.first?.status == 200)
    }

    @Test func pagesStuckInCleaningBlockNeitherIntakeNorShutdown() async throws {
        let spool = try TestSpool { $0.queue.shutdownGraceSeconds = 1 }
        defer { spool.remove() }
        // More stuck pages than the machine has cores: before, they took every cooperative thread.
        let stuckCount = ProcessInfo.processInfo.activeProcessorCount + 1
        let release = DispatchSemaphore(value: 0)
        let started = Counter()
        let extractor: SpoolService.ExtractorFactory = { _ in
            StubExtractor { (page: FetchedPage) throws(ExtractError) in
                guard page.url.contains("stuck") else { return }
                started.increment()
                _ = release.wait(timeout: .now() + 60)  // a page that takes a minute to clean
            }
        }
        let service = spool.service(once: false, fetcher: Self.stub, extractor: extractor)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await group.run() }
        defer { for _ in 0..<stuckCount { release.signal() } }
        try spool.drop("stuck", (0..<stuckCount).map { "https://a.example/stuck-\($0)" }.joined(separator: "\n") + "\n")
        let cleaning = min(stuckCount, ExtractionPool.defaultThreads)
        #expect(await waitFor(20) { started.value == cleaning })
        // Intake and leasing go on: a new job file is claimed and its URL leased.
        try spool.drop("later", "https://a.example/later\n")
        #expect(await waitFor(20) {
            SpoolLayout.visibleNames(in: spool.layout.inbox).isEmpty
                && (try? Journal(path: spool.layout.journal).state(of: "https://a.example/later")) == .inflight
        })
        // Shutdown ends after the grace period although the pages are still being cleaned.
        let stop = Date()
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(Date().timeIntervalSince(stop) < 10)
        #expect(started.value == cleaning)
        // Nothing is lost: the stuck URLs are back in the queue for the next start.
        let counts = try Journal(path: spool.layout.journal).counts()
        #expect(counts[.pending] == stuckCount + 1, "\(counts)")
    }

    // MARK: Escaping (item 10)

    @Test func controlCharactersFromJobFilesAreEscapedInTheLogAndStatus() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let name = "evil\n2026-01-01T00:00:00Z error forged line\u{1B}[2J"
        try spool.drop(name, "http://a.example/x\u{1B}]0;title\u{07}\r\n")
        try Data([0x00]).write(to: URL(fileURLWithPath: "\(spool.layout.inbox)/bin\r\u{1B}[31mred"))
        let log = LogCapture()
        try await spool.runOnce(fetcher: Self.stub, log: log)
        let all = log.lines
        #expect(all.contains { $0.contains("evil\\n2026") }, "\(all)")
        for line in all {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(line.debugDescription)")
        }
        let status = SpoolStatus.collect(layout: spool.layout, journal: try Journal(path: spool.layout.journal))
        #expect(status.recentFailures.count >= 2)
        #expect(!status.text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
        #expect(status.text.contains("\\x1B"))
    }

    @Test func theEscapeHelperMakesEveryControlVisible() {
        #expect(TextEscaping.escaped("plain ü text") == "plain ü text")
        #expect(TextEscaping.escaped("a\nb\rc\td") == "a\\nb\\rc\\td")
        #expect(TextEscaping.escaped("\u{1B}[31m\u{7F}\u{85}\u{2028}\u{202E}") == "\\x1B[31m\\x7F\\u{85}\\u{2028}\\u{202E}")
        #expect(TextEscaping.escaped("back\\slash") == "back\\\\slash")
        #expect(TextEscaping.escaped("\u{0}") == "\\x00")
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}

/// A thread-safe counter for stand-ins called from pool threads.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
