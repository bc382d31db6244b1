import Foundation
import Logging
import Synchronization
import Testing
import DecantTestSupport
@testable import DecantArchive
@testable import DecantCore
@testable import DecantFetch
@testable import DecantSpool

/// `scripts/warc_test_server.py` on 127.0.0.1: a gzip (chunked) page, a plain page, robots.txt, a 304.
final class WARCTestServer: Sendable {
    private let server: ScriptServer
    var port: Int { server.port }

    /// One server for the whole test run; nil when python3 is missing.
    static let shared: WARCTestServer? = WARCTestServer()

    private init?() {
        guard let server = ScriptServer("warc_test_server.py") else { return nil }
        self.server = server
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}

/// Keeps what a fetcher recorded, for the tests to look at.
final class ExchangeTape: ExchangeRecorder {
    private let stored = Mutex<[WARCExchange]>([])
    func record(_ exchanges: [WARCExchange]) async { stored.withLock { $0 += exchanges } }
    var all: [WARCExchange] { stored.withLock { $0 } }
}

/// WARC out from the fetcher: raw bytes on the wire (gzip and chunked kept), decoded pages, and files
/// that warcio reads and whose digests it verifies.
@Suite(.timeLimit(.minutes(2)))
struct WARCRecordingTests {
    let server: WARCTestServer

    init() throws {
        server = try #require(WARCTestServer.shared, "python3 scripts/warc_test_server.py did not start")
    }

    static func config(robots: Bool = false) -> FetchConfig {
        var c = FetchConfig()
        c.connectTimeoutSeconds = 2
        c.timeoutSeconds = 5
        c.retries = 0
        c.maxBodyBytes = 1_000_000
        c.perHostDelayMs = 0
        c.obeyRobots = robots
        c.allowPrivateNetworks = true
        return c
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test func aGzipPageIsRecordedAsReceivedAndDeliveredDecoded() async throws {
        let fetcher = RunningFetcher(config: Self.config(robots: true))
        let tape = ExchangeTape()
        fetcher.record(to: tape)
        let outcome = await fetcher.fetch(server.url("/gzip"))
        guard case .fetched(let page) = outcome else { Issue.record("\(outcome)"); return }
        #expect(Self.text(page.body).hasPrefix("<!doctype html>") && Self.text(page.body).contains("Gzip page"))
        let exchanges = tape.all
        #expect(exchanges.map(\.url) == [server.url("/robots.txt"), server.url("/gzip")])
        #expect(exchanges.map(\.status) == [200, 200])
        #expect(Self.text(exchanges[0].responseBody) == "User-agent: *\nDisallow: /private\n")
        let gz = exchanges[1]
        let head = Self.text(gz.responseHead)
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n") && head.hasSuffix("\r\n\r\n"))
        #expect(head.contains("Content-Encoding: gzip\r\n") && head.contains("Transfer-Encoding: chunked\r\n"))
        // The body as it came: chunk framing around gzip bytes, which decode to the page delivered.
        #expect(gz.responseBody.prefix(4) == Data("64\r\n".utf8))
        #expect(gz.responseBody.suffix(5) == Data("0\r\n\r\n".utf8))
        #expect(try HTTPResponse.parse(gz.responseHead + gz.responseBody, maxBodyBytes: 1 << 20).body == page.body)
        let request = Self.text(gz.request)
        #expect(request.hasPrefix("GET /gzip HTTP/1.1\r\n") && request.hasSuffix("\r\n\r\n"), "\(request)")
        #expect(request.contains("Accept-Encoding: gzip, deflate\r\n"), "only the codings the fetcher decodes: \(request)")
        #expect(Self.text(exchanges[0].request).hasPrefix("GET /robots.txt HTTP/1.1\r\n"))
        #expect(exchanges.allSatisfy { $0.ipAddress == "127.0.0.1" })
    }

    @Test func aRecordingFetcherDeliversTheSamePageAsOneThatLetsLibcurlDecode() async throws {
        let plain = await RunningFetcher(config: Self.config()).fetch(server.url("/gzip"))
        let recording = RunningFetcher(config: Self.config())
        recording.record(to: ExchangeTape())
        let recorded = await recording.fetch(server.url("/gzip"))
        guard case .fetched(let a) = plain, case .fetched(let b) = recorded else { Issue.record("\(plain) \(recorded)"); return }
        #expect(a.body == b.body && a.status == b.status && a.contentType == b.contentType)
        #expect(a.declaredCharset == b.declaredCharset && a.headers.map(\.name) == b.headers.map(\.name))
    }

    @Test func aNotModifiedAnswerIsRecordedWithItsRequestAndStatus304() async throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fetcher = RunningFetcher(config: Self.config(), validators: try ValidatorStore(path: dir + "/v.sqlite"))
        let tape = ExchangeTape()
        fetcher.record(to: tape)
        _ = await fetcher.fetch(server.url("/etag"))
        let second = await fetcher.fetch(server.url("/etag"))
        #expect(second == .notModified(url: server.url("/etag"), finalURL: server.url("/etag")))
        let exchanges = tape.all
        #expect(exchanges.map(\.status) == [200, 304])
        #expect(Self.text(exchanges[1].request).contains("If-None-Match: \"v1\"\r\n"))
        #expect(exchanges[1].refersTo?.url == server.url("/etag"))
    }

    @Test func aRedirectIsRecordedAsTwoExchangesAndTheSkippedBodyIsMarkedTruncated() async throws {
        let fetcher = RunningFetcher(config: Self.config())
        let tape = ExchangeTape()
        fetcher.record(to: tape)
        let outcome = await fetcher.fetch(server.url("/redirect"))
        #expect(outcome.kind == "fetched")
        let exchanges = tape.all
        #expect(exchanges.map(\.url) == [server.url("/redirect"), server.url("/plain")])
        #expect(exchanges.map(\.status) == [302, 200])
        #expect(Self.text(exchanges[1].request).hasPrefix("GET /plain HTTP/1.1\r\n"))
        // libcurl skips the body of a redirect it follows: the record says so instead of lying.
        #expect(exchanges[0].responseBody.isEmpty && exchanges[0].truncated == "unspecified")
        #expect(exchanges[1].truncated == nil)
    }

    @Test func aGzipBombIsStillCutAtTheBodyLimitWhenRecording() async {
        let fetcher = RunningFetcher(config: Self.config())
        fetcher.record(to: ExchangeTape())
        let outcome = await fetcher.fetch(server.url("/bomb"))
        #expect(outcome == .failed(url: server.url("/bomb"), failure: .bodyTooLarge(limit: 1_000_000)))
    }

    @Test func aContentEncodingTheFetcherCannotDecodeFailsThePageAndIsRecordedAsItCame() async {
        let fetcher = RunningFetcher(config: Self.config())
        let tape = ExchangeTape()
        fetcher.record(to: tape)
        let outcome = await fetcher.fetch(server.url("/br"))
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("unsupported Content-Encoding br"), "\(outcome.reason)")
        let request = Self.text(tape.all.first?.request ?? Data())
        let accept = request.split(separator: "\r\n").first { $0.hasPrefix("Accept-Encoding:") }
        #expect(accept == "Accept-Encoding: gzip, deflate", "\(request)")
        #expect(tape.all.first?.responseBody.prefix(1) == Data([0x1B]))
    }

    // MARK: Files

    static let noLog = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// `warcio check -v` over `paths` (exit status and output), and each record as `type uri`.
    static func warcio(_ paths: [String]) throws -> (check: Int32, output: String, records: [String]) {
        let (status, output) = try WARCFixture.python(
            "from warcio.cli import main; import sys; sys.exit(main(['check', '-v'] + sys.argv[1:]))", paths)
        let script = """
            from warcio.archiveiterator import ArchiveIterator; import sys
            for p in sys.argv[1:]:
                with open(p, 'rb') as f:
                    for r in ArchiveIterator(f, check_digests=True):
                        r.content_stream().read()
                        print(r.rec_type, r.rec_headers.get_header('WARC-Target-URI'), r.digest_checker.passed)
            """
        let (listed, records) = try WARCFixture.python(script, paths)
        #expect(listed == 0, "\(records)")
        return (status, output, records.split(separator: "\n").map(String.init))
    }

    @Test(.enabled(if: WARCFixture.warcioAvailable, "python3 has no warcio"))
    func recordedFilesRotateAtTheByteLimitAndWarcioVerifiesEveryDigest() async throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorder = WARCRecorder(directory: dir + "/warc", maxFileBytes: 4096, node: "test", durable: false,
                                    logger: Self.noLog)
        let fetcher = RunningFetcher(config: Self.config(robots: true), validators: try ValidatorStore(path: dir + "/v.sqlite"))
        fetcher.record(to: recorder)
        for path in ["/gzip", "/plain", "/etag", "/etag", "/redirect"] { _ = await fetcher.fetch(server.url(path)) }
        recorder.finish()
        let names = Self.names(dir + "/warc")
        #expect(names.count >= 2 && names.allSatisfy { $0.wholeMatch(of: /decant-\d{17}-test-\d{5}\.warc\.gz/) != nil }, "\(names)")
        let paths = names.map { dir + "/warc/" + $0 }
        let (check, output, records) = try Self.warcio(paths)
        #expect(check == 0, "\(output)")
        let responses = records.filter { $0.hasPrefix("response ") }
        // robots.txt, gzip, plain, etag, the redirect and its target; the second etag is a revisit.
        #expect(responses.count == 6, "\(records)")
        #expect(responses.allSatisfy { $0.hasSuffix(" True") }, "\(records)")
        #expect(records.contains("response \(server.url("/robots.txt")) True"))
        #expect(records.contains { $0.hasPrefix("revisit \(server.url("/etag"))") })
        #expect(records.filter { $0.hasPrefix("request ") }.count == records.filter { !$0.hasPrefix("request ") && !$0.hasPrefix("warcinfo") }.count)
        #expect(recorder.counts == (written: 7, dropped: 0))
    }

    @Test func aLeftoverOpenFileIsFinishedWhenTheRecorderStarts() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = WARCWriter(options: .init(directory: dir, node: "killed", durable: false))
        try writer.write(WARCWriterTests.exchange("http://127.0.0.1/a", body: Data("<p>a</p>".utf8)))
        let open = try #require(Self.names(dir).first)
        #expect(open.hasSuffix(".warc.gz.open"))
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/" + open))
        handle.seekToEndOfFile()
        handle.write(Data([0x1F, 0x8B, 0x08, 0, 0, 0]))   // a member cut short by kill -9
        handle.closeFile()
        let recorder = WARCRecorder(directory: dir, maxFileBytes: 1 << 20, node: "next", durable: false, logger: Self.noLog)
        recorder.finish()
        let names = Self.names(dir)
        #expect(names == [String(open.dropLast(".open".count))])
        #expect(try WARCReaderTests.readAll(dir + "/" + names[0]).records.map(\.type) == ["warcinfo", "response", "request"])
    }

    @Test(.enabled(if: WARCFixture.warcioAvailable, "python3 has no warcio"))
    func theSpoolWritesEveryFetchedResponseIntoWARCFilesWhenOutputWarcIsOn() async throws {
        let spool = try TestSpool {
            $0.output.warc = true
            $0.output.warcMaxBytes = 4096
            $0.fetch.obeyRobots = true
        }
        defer { spool.remove() }
        let urls = ["/gzip", "/plain", "/private/x"].map(server.url)
        try spool.drop("job.txt", urls.joined(separator: "\n") + "\n")
        try await spool.runOnce()
        #expect(try spool.articles().count == 2)
        let names = Self.names(spool.layout.warc)
        #expect(!names.isEmpty && names.allSatisfy { $0.hasSuffix(".warc.gz") }, "\(names)")
        let (check, output, records) = try Self.warcio(names.map { spool.layout.warc + "/" + $0 })
        #expect(check == 0, "\(output)")
        #expect(records.filter { $0.hasPrefix("response ") }.sorted()
                == ["/gzip", "/plain", "/robots.txt"].map { "response \(server.url($0)) True" }.sorted(), "\(records)")
    }

    static func randomBytes(_ n: Int) -> Data {
        var g = SystemRandomNumberGenerator()
        return Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    /// Waits (bounded) until `condition` holds.
    static func eventually(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > end { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    @Test(.enabled(if: TestMount.available, "needs root to mount a small tmpfs"))
    func aFullDiskPausesRecordingAndFetchesWaitUntilThereIsRoomAgain() async throws {
        let mount = try TestMount(options: "size=256k")
        defer { mount.remove() }
        let filler = mount.path + "/filler"
        try Self.randomBytes(200 << 10).write(to: URL(fileURLWithPath: filler))
        let recorder = WARCRecorder(directory: mount.path + "/warc", maxFileBytes: 1 << 20, node: "full",
                                    durable: false, queueBytes: 1000, logger: Self.noLog)
        let big = WARCWriterTests.exchange("http://127.0.0.1/big", body: Self.randomBytes(100 << 10))
        await recorder.record([big])   // taken by the writer, whose write fails: no room
        await recorder.record([WARCWriterTests.exchange("http://127.0.0.1/b", body: Self.randomBytes(500))])
        let third = Task { await recorder.record([WARCWriterTests.exchange("http://127.0.0.1/c", body: Self.randomBytes(500))]) }
        try await Task.sleep(for: .milliseconds(600))
        #expect(recorder.counts.written == 0)
        try FileManager.default.removeItem(atPath: filler)
        await third.value   // let in once the writer caught up
        recorder.finish()
        #expect(recorder.counts == (written: 3, dropped: 0))
        let names = Self.names(mount.path + "/warc")
        #expect(names.count == 1 && names[0].hasSuffix(".warc.gz"), "\(names)")
        let records = try WARCReaderTests.readAll(mount.path + "/warc/" + names[0]).records
        #expect(records.map(\.type) == ["warcinfo"] + Array(repeating: ["response", "request"], count: 3).flatMap { $0 })
        #expect(records.compactMap(\.targetURI) == ["big", "big", "b", "b", "c", "c"].map { "http://127.0.0.1/" + $0 })
    }

    @Test func warcMaxBytesOutsideItsRangeIsRefusedWithItsKeyPath() throws {
        for value in ["100", "1e13", "4096.5"] {
            #expect(throws: ConfigError.self) { try PipelineConfig.decode(Data(#"{"output": {"warcMaxBytes": \#(value)}}"#.utf8)) }
            do { _ = try PipelineConfig.decode(Data(#"{"output": {"warcMaxBytes": \#(value)}}"#.utf8)) } catch {
                #expect(error.keyPath == "output.warcMaxBytes", "\(error)")
            }
        }
        let config = try PipelineConfig.decode(Data(#"{"output": {"warc": true, "warcMaxBytes": 4096}}"#.utf8))
        #expect(config.output.warc && config.output.warcMaxBytes == 4096)
        #expect(PipelineConfig().output.warc == false && PipelineConfig().output.warcMaxBytes == 1_000_000_000)
    }
}
