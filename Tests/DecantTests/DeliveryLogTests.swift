import Foundation
import Synchronization
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantExtract
@testable import DecantFetch
@testable import DecantSpool

/// `out/index.jsonl`: appended after the files, exact after crashes, rotated by UTC day.
struct DeliveryLogTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        let now: Mutex<Date>
        init(_ date: Date) { now = Mutex(date) }
        func set(_ date: Date) { now.withLock { $0 = date } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    static let day1 = Date(timeIntervalSince1970: 1_764_633_600)  // 2025-12-02T00:00:00Z
    static let day2 = day1.addingTimeInterval(86_400 + 60)

    func lines(_ path: String) throws -> [DeliveryLog.Line] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(DeliveryLog.Line.self, from: Data($0)) }
    }

    func completion(_ id: String, time: Date = Date()) -> Journal.Completion {
        Journal.Completion(articleId: id, url: "https://a.example/\(id)", title: "Title \(id)", published: "2025-01-01",
                           files: ["\(id).md", "\(id).json"], time: time.timeIntervalSince1970, log: true, webhookBody: nil)
    }

    @Test func theServiceLogsEachArticleOnceItsFilesAreInPlace() async throws {
        let spool = try TestSpool { $0.output.deliveryLog = true }
        defer { spool.remove() }
        try spool.drop("a.txt", "https://a.example/1\nhttps://a.example/2\n")
        let fetcher: SpoolService.FetcherFactory = { _, _ in
            StubFetcher { StubFetcher.page($0, title: "Page \($0.suffix(1))", text: "Some words about \($0) here.") }
        }
        try await spool.runOnce(fetcher: fetcher)
        let logged = try lines(spool.layout.out + "/index.jsonl")
        let articles = try spool.articles()
        #expect(logged.count == 2)
        #expect(Set(logged.map(\.id)) == Set(articles.map(\.id)))
        #expect(logged.map(\.seq) == logged.map(\.seq).sorted())
        for line in logged {
            #expect(line.files == ["\(line.id).md", "\(line.id).json"])
            for file in line.files { #expect(FileManager.default.fileExists(atPath: spool.layout.out + "/" + file)) }
            #expect(line.title.hasPrefix("Page"))
            #expect(line.url.hasPrefix("https://a.example/"))
        }
        // A second run delivers nothing new and adds no line.
        try await spool.runOnce(fetcher: fetcher)
        #expect(try self.lines(spool.layout.out + "/index.jsonl").count == 2)
    }

    @Test func aTornLastLineIsCutOffBeforeTheNextLine() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let journal = try Journal(path: spool.layout.journal)
        let log = DeliveryLog(folder: spool.layout.out, journal: journal)
        try journal.delivered(url: "u", status: 200, completion: completion("aaaa"))
        try log.sync()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"seq":2,"id":"bbbb","ur"#.utf8))
        try handle.close()
        try journal.delivered(url: "v", status: 200, completion: completion("cccc"))
        try DeliveryLog(folder: spool.layout.out, journal: journal).sync()  // a restart
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(!text.contains("bbbb"))
        #expect(try lines(log.path).map(\.id) == ["aaaa", "cccc"])
    }

    @Test func aCrashBetweenTheRenameAndTheLogIsRepairedOnStart() async throws {
        let spool = try TestSpool { $0.output.deliveryLog = true }
        defer { spool.remove() }
        let url = "https://a.example/crash"
        do {
            // The service died right after renaming the article into out/: the journal says delivering.
            let journal = try Journal(path: spool.layout.journal)
            try journal.addJob("job")
            _ = try journal.ingest(job: "job", urls: [(url, 1)], offset: 0, lines: 1, windowHours: 24)
            _ = try journal.lease(limit: 1)
            let article = try Extractor().extract(page: try #require(StubFetcher.page(url, text: "Crash text.").page))
            _ = try journal.beginDelivery(url: url, articleId: article.id, fingerprint: article.fingerprint)
            try Delivery(layout: spool.layout, formats: [.json, .markdown]).write(article)
            try journal.removeJob("job")
        }
        #expect(!FileManager.default.fileExists(atPath: spool.layout.out + "/index.jsonl"))
        let fetcher: SpoolService.FetcherFactory = { _, _ in StubFetcher { _ in .failed(url: url, failure: .http(status: 500)) } }
        try await spool.runOnce(fetcher: fetcher)
        try await spool.runOnce(fetcher: fetcher)
        let logged = try lines(spool.layout.out + "/index.jsonl")
        #expect(logged.map(\.url) == [url])
        #expect(logged.first?.title == "Stub")
        #expect(try Journal(path: spool.layout.journal).state(of: url) == .delivered)
    }

    @Test func aLineAlreadyAppendedIsNotAppendedAgainByRepeatedRecovery() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let journal = try Journal(path: spool.layout.journal)
        try journal.delivered(url: "u", status: 200, completion: completion("aaaa"))
        // Killed after the append, before the journal forgot the line.
        let pending = try journal.pendingLogLines(after: 0, limit: 10)
        let path = spool.layout.out + "/index.jsonl"
        try DeliveryLog.render(try #require(pending.first)).write(to: URL(fileURLWithPath: path))
        for _ in 0..<3 { try DeliveryLog(folder: spool.layout.out, journal: journal).sync() }
        try journal.delivered(url: "v", status: 200, completion: completion("bbbb"))
        for _ in 0..<2 { try DeliveryLog(folder: spool.layout.out, journal: journal).sync() }
        let logged = try lines(path)
        #expect(logged.map(\.id) == ["aaaa", "bbbb"])
        #expect(logged.map(\.seq) == [1, 2])
        #expect(try journal.pendingLogLines(after: 0, limit: 10).isEmpty)
    }

    @Test func aNewJournalUnderAnOldLogContinuesItsNumbers() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let path = spool.layout.out + "/index.jsonl"
        do {
            let journal = try Journal(path: spool.layout.journal)
            for id in ["aaaa", "bbbb"] { try journal.delivered(url: id, status: 200, completion: completion(id)) }
            try DeliveryLog(folder: spool.layout.out, journal: journal).sync()
        }
        try FileManager.default.removeItem(atPath: spool.layout.journal)
        let journal = try Journal(path: spool.layout.journal)
        let log = DeliveryLog(folder: spool.layout.out, journal: journal)
        try log.sync()
        try journal.delivered(url: "c", status: 200, completion: completion("cccc"))
        try log.sync()
        #expect(try lines(path).map(\.seq) == [1, 2, 3])
    }

    @Test func theLogRotatesAtTheFirstLineOfANewUTCDay() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let journal = try Journal(path: spool.layout.journal)
        let clock = Clock(Self.day1.addingTimeInterval(3600))
        let log = DeliveryLog(folder: spool.layout.out, journal: journal, clock: clock.read)
        try journal.delivered(url: "a", status: 200, completion: completion("aaaa", time: clock.read()))
        try log.sync()
        try journal.delivered(url: "b", status: 200, completion: completion("bbbb", time: clock.read()))
        try log.sync()
        clock.set(Self.day2)
        // A restart on the next day still knows the current file's day from its first line.
        let restarted = DeliveryLog(folder: spool.layout.out, journal: journal, clock: clock.read)
        try journal.delivered(url: "c", status: 200, completion: completion("cccc", time: clock.read()))
        try restarted.sync()
        let dated = spool.layout.out + "/index-2025-12-02.jsonl"
        #expect(try lines(dated).map(\.id) == ["aaaa", "bbbb"])
        #expect(try lines(log.path).map(\.id) == ["cccc"])
        #expect(try lines(log.path).map(\.seq) == [3])
        #expect(restarted.rotatedFiles() == [dated])
        // Killed right after a rotation: the empty new file takes its numbers from the dated files.
        try FileManager.default.removeItem(atPath: log.path)
        try Data(#"{"files":[],"id":"cccc","seq":3,"time":"2025-12-03T00:01:00Z","title":"","url":""}"#.utf8 + [0x0A])
            .write(to: URL(fileURLWithPath: spool.layout.out + "/index-2025-12-02-2.jsonl"))
        try Data().write(to: URL(fileURLWithPath: log.path))
        try journal.delivered(url: "d", status: 200, completion: completion("dddd", time: clock.read()))
        try DeliveryLog(folder: spool.layout.out, journal: journal, clock: clock.read).sync()
        #expect(try lines(log.path).map(\.seq) == [4])
    }

    @Test func withTheLogOffOutHoldsOnlyTheArticles() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("a.txt", "https://a.example/1\n")
        try await spool.runOnce(fetcher: { _, _ in StubFetcher { StubFetcher.page($0, text: "Words here.") } })
        #expect(spool.files(spool.layout.out).count == 1)
        #expect(!FileManager.default.fileExists(atPath: spool.layout.out + "/index.jsonl"))
    }
}
