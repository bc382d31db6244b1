import Foundation
import Synchronization
import Testing
@testable import DecantCore
@testable import DecantExtract
@testable import DecantFetch
import DecantTestSupport

/// One test per fault, against `scripts/fault_server.py` on 127.0.0.1 (never the internet).
/// Short limits keep each test to a few seconds; each also checks that it ended in bounded time.
@Suite(.timeLimit(.minutes(1)))
struct FetcherTests {
    let server: FaultServer

    init() throws {
        server = try #require(FaultServer.shared, "python3 scripts/fault_server.py did not start")
    }

    static func config(_ change: (inout FetchConfig) -> Void = { _ in }) -> FetchConfig {
        var c = FetchConfig()
        c.connectTimeoutSeconds = 1
        c.timeoutSeconds = 3
        c.lowSpeedBytesPerSecond = 100
        c.lowSpeedSeconds = 1
        c.retries = 1
        c.retryBaseDelayMs = 100
        c.retryMaxDelayMs = 500
        c.maxBodyBytes = 1_000_000
        c.perHostDelayMs = 0
        c.obeyRobots = false
        c.allowPrivateNetworks = true
        change(&c)
        return c
    }

    /// Fetches `path` with a fresh fetcher; returns the outcome and the seconds it took.
    func fetch(_ path: String, _ change: (inout FetchConfig) -> Void = { _ in },
               validators: ValidatorStore? = nil) async -> (FetchOutcome, Double) {
        let fetcher = RunningFetcher(config: Self.config(change), validators: validators)
        let start = Date()
        let outcome = await fetcher.fetch(server.url(path))
        return (outcome, Date().timeIntervalSince(start))
    }

    /// How many requests the fault server counted under `key` (its `/count` page), as it wrote it.
    func requests(_ key: String) async -> String? {
        let count = await RunningFetcher(config: Self.config()).fetch(server.url("/count?key=\(key)"))
        return count.page.map { String(decoding: $0.body, as: UTF8.self) }
    }

    // MARK: Servers that hang, stall, trickle or reset

    @Test func aServerThatNeverAnswersIsDeferredAfterTheTimeout() async {
        let (outcome, seconds) = await fetch("/never") { $0.retries = 0; $0.lowSpeedSeconds = 10 }
        #expect(outcome.kind == "deferred")
        #expect(outcome.reason.contains("timed out"), "\(outcome.reason)")
        #expect(seconds < 8)
    }

    @Test func aBodyThatStallsMidwayIsAbortedInBoundedTime() async {
        let (outcome, seconds) = await fetch("/stall") { $0.retries = 0 }
        #expect(outcome.kind == "deferred")
        // libcurl averages speed over 5 s, so the total timeout (3 s here) may end a burst-then-stall first.
        #expect(outcome.reason.contains("too slow") || outcome.reason.contains("timed out"), "\(outcome.reason)")
        #expect(seconds < 8)
    }

    @Test func aOneBytePerSecondTrickleIsAbortedAsTooSlow() async {
        let (outcome, seconds) = await fetch("/trickle") { $0.retries = 0 }
        #expect(outcome.kind == "deferred")
        #expect(outcome.reason.contains("too slow"), "\(outcome.reason)")
        #expect(seconds < 8)
    }

    @Test func aConnectionResetMidHeadersIsRetriedThenDeferred() async {
        let (outcome, seconds) = await fetch("/reset")
        #expect(outcome.kind == "deferred")
        #expect(outcome.reason.contains("connection failed"), "\(outcome.reason)")
        #expect(outcome.reason.contains("after 2 attempts"), "\(outcome.reason)")
        guard case .deferred(_, _, .connection, 2) = outcome else {
            Issue.record("expected a typed connection failure after 2 attempts, got \(outcome)")
            return
        }
        #expect(seconds < 8)
    }

    // MARK: Redirects

    @Test func aRedirectLoopFailsWithTheChain() async {
        let (outcome, _) = await fetch("/loop/a") { $0.maxRedirects = 5 }
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("too many redirects (limit 5)"), "\(outcome.reason)")
        #expect(outcome.reason.contains("/loop/a -> ") && outcome.reason.contains("/loop/b"), "\(outcome.reason)")
    }

    @Test func aRedirectChainLongerThanTheLimitFails() async {
        let (outcome, _) = await fetch("/chain/8") { $0.maxRedirects = 3 }
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("too many redirects (limit 3)"), "\(outcome.reason)")
        #expect(outcome.reason.contains("/chain/5"), "\(outcome.reason)")
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://example.com/file", "FILE:///etc/hosts"])
    func aRedirectToAnotherSchemeIsRefusedNamingThatSchemeAndTheRedirect(_ target: String) async {
        let query = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
        let (outcome, _) = await fetch("/redirect?to=\(query)") { $0.allowFileUrls = true }
        let scheme = String(target.prefix(while: { $0 != ":" })).lowercased()
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("redirect to URL scheme '\(scheme)'"), "\(outcome.reason)")
        #expect(outcome.reason.contains("-> \(target)"), "\(outcome.reason)")
        #expect(!outcome.reason.contains("'http'"), "\(outcome.reason)")
    }

    @Test func aRedirectChainWithinTheLimitRecordsEveryHopAndTheFinalURL() async throws {
        let (outcome, _) = await fetch("/chain/2") { $0.maxRedirects = 3 }
        let page = try #require(outcome.page, "\(outcome)")
        #expect(page.url == server.url("/chain/2"))
        #expect(page.finalURL == server.url("/ok"))
        #expect(page.redirects == [server.url("/chain/1"), server.url("/chain/0"), server.url("/ok")])
    }

    // MARK: Statuses and retries

    @Test(arguments: [404, 410])
    func aMissingPageFailsAtOnce(status: Int) async {
        // The server answers `status` to every request of this key and counts them: one means no retry.
        let key = "gone-\(status)-\(UInt32.random(in: 0...UInt32.max))"
        let (outcome, _) = await fetch("/flaky?key=\(key)&fail=99&status=\(status)") {
            $0.retries = 3; $0.retryBaseDelayMs = 50; $0.retryMaxDelayMs = 50
        }
        #expect(outcome.kind == "failed")
        #expect(outcome.status == status)
        #expect(outcome.reason.hasPrefix("HTTP \(status) "), "\(outcome.reason)")
        #expect(await requests("flaky:\(key)") == "1", "a 4xx must not be retried")
    }

    @Test func tooManyRequestsWithALongRetryAfterIsDeferredUntilThen() async throws {
        let before = Date()
        let key = "429-long-\(UInt32.random(in: 0...UInt32.max))"
        let (outcome, _) = await fetch("/flaky?key=\(key)&fail=9&status=429&retry-after=120")
        guard case .deferred(_, let retryAt, let failure, _) = outcome else {
            Issue.record("expected deferred, got \(outcome)")
            return
        }
        #expect(failure == .http(status: 429) && outcome.status == 429)
        #expect(outcome.reason.contains("HTTP 429 Too Many Requests"))
        #expect(abs(retryAt.timeIntervalSince(before) - 120) < 10)
        #expect(await requests("flaky:\(key)") == "1", "a Retry-After beyond retryMaxDelayMs is not waited for in the fetch")
    }

    @Test func serviceUnavailableWithAShortRetryAfterIsWaitedForAndRetried() async throws {
        let (outcome, seconds) = await fetch("/flaky?key=503-short&fail=1&status=503&retry-after=1") {
            $0.retryMaxDelayMs = 2000
        }
        let page = try #require(outcome.page, "\(outcome)")
        #expect(String(decoding: page.body, as: UTF8.self).contains("Recovered page"))
        #expect(seconds >= 0.9, "Retry-After: 1 must be honoured")
    }

    @Test func aServerErrorThenSuccessIsRetriedAndFetched() async throws {
        let (outcome, _) = await fetch("/flaky?key=500-once&fail=1&status=500")
        let page = try #require(outcome.page, "\(outcome)")
        #expect(page.status == 200)
    }

    @Test func aServerErrorThatPersistsIsDeferredWithItsStatus() async {
        let (outcome, _) = await fetch("/flaky?key=500-always&fail=99&status=500")
        #expect(outcome.kind == "deferred")
        #expect(outcome.status == 500)
    }

    // MARK: Size caps and encodings

    @Test func anEndlessBodyStopsAtTheCap() async {
        let (outcome, seconds) = await fetch("/endless")
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("larger than fetch.maxBodyBytes (1000000 bytes)"), "\(outcome.reason)")
        #expect(seconds < 5)
    }

    @Test func aDeclaredLengthOverTheCapFailsBeforeTheBody() async {
        let (outcome, _) = await fetch("/big")
        #expect(outcome.kind == "failed")
        #expect(outcome.reason == "body larger than fetch.maxBodyBytes (1000000 bytes)")
    }

    @Test func aGzipBombStopsAtTheCap() async {
        let (outcome, seconds) = await fetch("/gzip-bomb")
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("larger than fetch.maxBodyBytes"), "\(outcome.reason)")
        #expect(seconds < 5)
    }

    @Test func corruptGzipFailsClearly() async {
        let (outcome, _) = await fetch("/gzip-corrupt")
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("corrupt compressed body"), "\(outcome.reason)")
    }

    // MARK: Content types

    @Test(arguments: [("/pdf", "application/pdf"), ("/png", "image/png")])
    func aNonHTMLTypeIsRefused(path: String, type: String) async {
        let (outcome, _) = await fetch(path)
        #expect(outcome.kind == "failed")
        #expect(outcome.reason == "unsupported content type \(type)")
    }

    @Test func anEmpty200Fails() async {
        let (outcome, _) = await fetch("/empty")
        #expect(outcome.kind == "failed")
        #expect(outcome.reason == "empty body")
    }

    @Test func aPageWithoutContentTypeIsSniffedAsHTML() async throws {
        let (outcome, _) = await fetch("/no-type")
        let page = try #require(outcome.page, "\(outcome)")
        #expect(page.contentType == nil)
        let (binary, _) = await fetch("/no-type-binary")
        #expect(binary.kind == "failed")
        #expect(binary.reason.contains("unsupported content type"), "\(binary.reason)")
    }

    // MARK: Charsets: header, meta, both, conflicting, none

    static let charsetSamples: [(encoding: String, expected: String)] = [
        ("windows-1251", "Съешь же ещё этих мягких французских булок"),
        ("shift_jis", "日本語の記事です"),
        ("gb18030", "我能吞下玻璃而不伤身体"),
        ("latin-1", "Voix ambiguë d'un coeur qui, au zéphyr, préfère"),
    ]

    @Test(arguments: ["header", "meta", "both", "conflict", "none"])
    func aPageInALegacyCharsetComesOutAsUTF8(declared: String) async throws {
        let fetcher = RunningFetcher(config: Self.config())
        for sample in Self.charsetSamples {
            let outcome = await fetcher.fetch(server.url("/charset?enc=\(sample.encoding)&where=\(declared)"))
            let page = try #require(outcome.page, "\(sample.encoding): \(outcome)")
            if declared == "header" || declared == "both" || declared == "conflict" {
                #expect(page.declaredCharset == (sample.encoding == "latin-1" ? "iso-8859-1" : sample.encoding))
            } else {
                #expect(page.declaredCharset == nil)
            }
            let article = try Extractor().extract(page: page)
            #expect(article.text.contains(sample.expected), "\(sample.encoding) declared in \(declared): \(article.text.prefix(120))")
        }
    }

    // MARK: robots.txt

    @Test func robotsDisallowIsObeyedWithTheDecidingRule() async throws {
        let fetcher = RunningFetcher(config: Self.config { $0.obeyRobots = true; $0.userAgent = "DisallowBot/1.0" })
        let blocked = await fetcher.fetch(server.url("/private/secret"))
        #expect(blocked.kind == "failed")
        #expect(blocked.reason == "disallowed by robots.txt (Disallow: /private)")
        let allowed = await fetcher.fetch(server.url("/private/open/page"))
        #expect(allowed.kind == "fetched", "\(allowed)")
        let other = await fetcher.fetch(server.url("/public/one"))
        #expect(other.kind == "fetched", "\(other)")
        #expect(await requests("robots:DisallowBot") == "1", "robots.txt fetched once")
    }

    @Test func robotsCrawlDelaySpacesRequestsToTheHost() async {
        let fetcher = RunningFetcher(config: Self.config { $0.obeyRobots = true; $0.userAgent = "DelayBot/1.0" })
        let start = Date()
        async let a = fetcher.fetch(server.url("/public/a"))
        async let b = fetcher.fetch(server.url("/public/b"))
        let (first, second) = await (a, b)
        #expect(first.kind == "fetched" && second.kind == "fetched")
        #expect(Date().timeIntervalSince(start) >= 0.95, "Crawl-delay: 1 must space the two requests")
    }

    @Test func robotsServerErrorDefersTheWholeHost() async {
        let fetcher = RunningFetcher(config: Self.config { $0.obeyRobots = true; $0.userAgent = "Robots503Bot/1.0" })
        let outcome = await fetcher.fetch(server.url("/public/x"))
        #expect(outcome.kind == "deferred")
        #expect(outcome.reason.contains("robots.txt unavailable (HTTP 503)"), "\(outcome.reason)")
    }

    @Test func aRobotsTxtWithAByteOrderMarkAndCRLFLinesIsObeyed() async {
        let fetcher = RunningFetcher(config: Self.config { $0.obeyRobots = true; $0.userAgent = "CrlfBot/1.0" })
        let blocked = await fetcher.fetch(server.url("/private/x"))
        #expect(blocked.kind == "failed")
        #expect(blocked.reason == "disallowed by robots.txt (Disallow: /private)", "\(blocked.reason)")
        #expect(await fetcher.fetch(server.url("/public/x")).kind == "fetched")
    }

    /// Fetchers sharing robots.txt responses (a cluster's nodes, here through memory).
    final class MemoryRobots: RobotsSharing {
        let files = Mutex<[String: RobotsFile]>([:])
        func stored(for origin: String) async -> RobotsFile? { files.withLock { $0[origin] } }
        func store(_ file: RobotsFile, for origin: String) async { files.withLock { $0[origin] = file } }
    }

    @Test func fetchersSharingRobotsTxtFetchItOnceAndObeyItAlike() async throws {
        let agent = "SharedBot-\(UUID().uuidString.prefix(8))"
        let shared = MemoryRobots()
        let change: (inout FetchConfig) -> Void = { $0.obeyRobots = true; $0.userAgent = "\(agent)/1.0" }
        let first = RunningFetcher(config: Self.config(change), robotsSharing: shared)
        #expect(await first.fetch(server.url("/public/a")).kind == "fetched")
        let stored = try #require(shared.files.withLock { $0.values.first })
        #expect(stored.status == 200 && stored.expires > Date().addingTimeInterval(3000))
        let second = RunningFetcher(config: Self.config(change), robotsSharing: shared)
        let blocked = await second.fetch(server.url("/private/b"))
        #expect(blocked.reason == "disallowed by robots.txt (Disallow: /private)", "\(blocked.reason)")
        #expect(await requests("robots:\(agent)") == "1", "the second fetcher used the first one's robots.txt")
    }

    @Test func anUnreachableRobotsTxtIsNotSharedWithOtherFetchers() async {
        let shared = MemoryRobots()
        // Nothing listens on port 9 of 127.0.0.1: a transport failure, which may be this fetcher's own network.
        let fetcher = RunningFetcher(config: Self.config { $0.obeyRobots = true; $0.retries = 0 }, robotsSharing: shared)
        let outcome = await fetcher.fetch("http://127.0.0.1:9/page")
        #expect(outcome.kind == "deferred" || outcome.kind == "failed")
        #expect(shared.files.withLock { $0.isEmpty })
    }

    @Test func robotsNotFoundAllowsEverything() async {
        let fetcher = RunningFetcher(config: Self.config { $0.obeyRobots = true; $0.userAgent = "Robots404Bot/1.0" })
        let outcome = await fetcher.fetch(server.url("/private/anything"))
        #expect(outcome.kind == "fetched", "\(outcome)")
    }

    // MARK: Conditional GET

    @Test(arguments: ["/etag", "/lastmod"])
    func aSecondFetchWithValidatorsIsNotModified(path: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decant-validators-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try ValidatorStore(path: folder.appendingPathComponent("validators.sqlite").path)
        let (first, _) = await fetch(path, validators: store)
        #expect(first.kind == "fetched", "\(first)")
        let remembered = try #require(store.validators(for: server.url(path)))
        #expect(remembered.etag != nil || remembered.lastModified != nil)
        let (second, _) = await fetch(path, validators: store)
        #expect(second.kind == "notModified", "\(second)")
    }

    // MARK: Safety

    @Test(arguments: ["127.0.0.1", "localhost"])
    func aLoopbackAddressIsRefusedByDefault(host: String) async {
        let fetcher = RunningFetcher(config: Self.config { $0.allowPrivateNetworks = false; $0.obeyRobots = true })
        let outcome = await fetcher.fetch(server.url("/ok", host: host))
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("refused to connect to loopback address"), "\(outcome.reason)")
    }

    @Test(arguments: ["192.0.2.1", "198.51.100.7", "203.0.113.9", "[2001:db8::1]", "[::ffff:127.0.0.1]"])
    func documentationAndOtherSpecialAddressesAreRefusedBeforeConnecting(host: String) async {
        // The open-socket check refuses before any packet is sent, so nothing leaves this machine.
        let fetcher = RunningFetcher(config: Self.config { $0.allowPrivateNetworks = false })
        let outcome = await fetcher.fetch("http://\(host):9/x")
        #expect(outcome.kind == "failed")
        #expect(outcome.reason.contains("refused to connect to"), "\(outcome.reason)")
        #expect(outcome.reason.contains("RFC"), "\(outcome.reason)")
    }

    @Test func anInternationalHostIsFetchedByItsPunycodeName() async throws {
        // libcurl resolves *.localhost to the loopback address itself, without DNS.
        let fetcher = RunningFetcher(config: Self.config())
        let outcome = await fetcher.fetch(server.url("/ok", host: "bücher.localhost"))
        let page = try #require(outcome.page, "\(outcome)")
        #expect(page.url == server.url("/ok", host: "xn--bcher-kva.localhost"))
        #expect(page.finalURL == server.url("/ok", host: "xn--bcher-kva.localhost"))
        let refused = await RunningFetcher(config: Self.config { $0.allowPrivateNetworks = false })
            .fetch(server.url("/ok", host: "BÜCHER.localhost"))
        #expect(refused.reason.contains("refused to connect to loopback address"), "\(refused.reason)")
        let invalid = await fetcher.fetch("http://a\u{200D}b.example/")
        #expect(invalid.kind == "failed")
        #expect(invalid.reason.contains("has no ASCII form"), "\(invalid.reason)")
    }

    @Test func schemesOtherThanHTTPAndFileAreRefused() async {
        let fetcher = RunningFetcher(config: Self.config())
        for url in ["ftp://example.com/file", "gopher://example.com/", "javascript:alert(1)", "not a url"] {
            let outcome = await fetcher.fetch(url)
            #expect(outcome.kind == "failed", "\(url)")
        }
        #expect(await fetcher.fetch("ftp://example.com/x").reason.contains("unsupported URL scheme 'ftp'"))
    }

    @Test func fileURLsAreReadOnlyWhenAllowed() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("decant-file-\(UUID()).html")
        try Data("<!DOCTYPE html><html><head><title>Local</title></head><body><p>Local page.</p></body></html>".utf8)
            .write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let refused = await RunningFetcher(config: Self.config()).fetch(file.absoluteString)
        #expect(refused.kind == "failed")
        #expect(refused.reason.contains("file:// URLs are disabled"))
        let allowed = await RunningFetcher(config: Self.config { $0.allowFileUrls = true }).fetch(file.absoluteString)
        let page = try #require(allowed.page, "\(allowed)")
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).contains("Local page."))
    }

    @Test func manyConcurrentFetchesAllEndWithinThePerHostLimit() async {
        let fetcher = RunningFetcher(config: Self.config { $0.concurrency = 8; $0.perHostConcurrency = 2 })
        let outcomes = await withTaskGroup(of: FetchOutcome.self) { group in
            for i in 0..<60 { group.addTask { await fetcher.fetch(server.url("/public/n\(i)")) } }
            var all: [FetchOutcome] = []
            for await o in group { all.append(o) }
            return all
        }
        #expect(outcomes.count == 60)
        #expect(outcomes.allSatisfy { $0.kind == "fetched" })
    }

    @Test func thePerHostLimitCapsOverlappingRequestsToAHost() async throws {
        let fetcher = RunningFetcher(config: Self.config { $0.concurrency = 16; $0.perHostConcurrency = 2 })
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = await fetcher.fetch(server.url("/slow?key=perhost")) } }
        }
        let overlap = await fetcher.fetch(server.url("/overlap?key=perhost"))
        let page = try #require(overlap.page)
        #expect(String(decoding: page.body, as: UTF8.self) == "2")
    }

    @Test func thePerHostDelaySpacesRequestStarts() async {
        let fetcher = RunningFetcher(config: Self.config { $0.perHostDelayMs = 300 })
        let start = Date()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<3 { group.addTask { _ = await fetcher.fetch(server.url("/public/delay\(i)")) } }
        }
        #expect(Date().timeIntervalSince(start) >= 0.59, "three starts 300 ms apart")
    }

    @Test func aConnectionIsReusedForTheNextRequestToTheHost() async throws {
        let fetcher = RunningFetcher(config: Self.config())
        let first = try #require(await fetcher.fetch(server.url("/conn")).page)
        let second = try #require(await fetcher.fetch(server.url("/conn")).page)
        #expect(first.body == second.body, "same client port: the keep-alive connection was reused")
    }

    @Test func cancellingAFetchEndsItPromptly() async {
        let fetcher = RunningFetcher(config: Self.config { $0.timeoutSeconds = 30; $0.lowSpeedSeconds = 30 })
        let start = Date()
        let task = Task { await fetcher.fetch(server.url("/never")) }
        try? await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let outcome = await task.value
        #expect(outcome.kind == "deferred")
        #expect(outcome.reason == "cancelled")
        #expect(Date().timeIntervalSince(start) < 5)
    }
}

extension FetchOutcome {
    var kind: String {
        switch self {
        case .fetched: "fetched"
        case .notModified: "notModified"
        case .deferred: "deferred"
        case .failed: "failed"
        }
    }

    var page: FetchedPage? {
        if case .fetched(let page) = self { return page }
        return nil
    }
}
