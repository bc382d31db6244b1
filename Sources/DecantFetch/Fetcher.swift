import Foundation
import Synchronization
import DecantArchive
import ServiceLifecycle
import DecantCore

/// The libcurl fetcher: polite (robots.txt, per-host limits and delays), bounded (timeouts, size caps)
/// and safe (no private addresses, only http, https and, when allowed, file URLs).
///
/// Call `fetch` from as many tasks as you like while `run()` runs (the curl thread lives inside it);
/// limits are enforced inside. Every URL ends in one `FetchOutcome`: fetched, not modified,
/// deferred (retry later) or failed, with its `FetchFailure`.
public final class Fetcher: PageFetching, Service {
    public let config: FetchConfig
    private let engine: CurlMulti
    private let robots: RobotsCache
    private let validators: ValidatorStore?
    private let retry: RetryPolicy
    private let recorder = Mutex<(any ExchangeRecorder)?>(nil)

    /// Longest `Crawl-delay` honoured, in seconds; larger values are capped to keep the host reachable.
    public static let maxCrawlDelay: Double = 60

    /// A fetcher with `config`; `validators` enables conditional GET (ETag / Last-Modified), and
    /// `robotsSharing` shares robots.txt responses with other fetchers (a cluster's nodes).
    public init(config: FetchConfig, validators: ValidatorStore? = nil, robotsSharing: (any RobotsSharing)? = nil) {
        self.config = config
        self.engine = CurlMulti(options: CurlMulti.Options(config))
        self.retry = RetryPolicy(config)
        self.robots = RobotsCache(ttlSeconds: config.robotsCacheHours * 3600,
                                  unavailableSeconds: max(60, Double(config.retryMaxDelayMs) / 1000),
                                  userAgent: config.userAgent, sharing: robotsSharing)
        self.validators = validators
    }

    /// Runs the curl thread; fetches made before it starts wait for it. Returns after `finish()` or a
    /// graceful shutdown once the transfers under way are done, or at once on task cancellation
    /// (transfers under way end deferred with `FetchFailure.cancelled`).
    public func run() async {
        await withGracefulShutdownHandler {
            await engine.run()
        } onGracefulShutdown: {
            self.engine.retire()
        }
    }

    /// Lets `run()` return once the transfers under way are done; later fetches end as cancelled.
    public func finish() { engine.retire() }

    /// Runs `body` while `run()` serves it from a child task; the thread ends after `body` returns.
    public func serving<T>(_ body: () async -> T) async -> T {
        await withTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await self.run() }
            let value = await body()
            finish()
            await group.waitForAll()
            return value
        }
    }

    /// Records every later exchange raw: libcurl then leaves bodies coded, asks only for the codings
    /// this fetcher decodes (gzip, deflate) and the fetcher decodes them, with the same size caps.
    public func record(to recorder: (any ExchangeRecorder)?) { self.recorder.withLock { $0 = recorder } }

    /// Runs one transfer; when recording, hands its exchanges to the recorder and decodes the body.
    private func perform(_ request: TransferRequest) async -> TransferResult {
        guard let recorder = recorder.withLock({ $0 }) else { return await engine.perform(request) }
        var request = request
        request.record = true
        var result = await engine.perform(request)
        guard let hops = result.recorded else { return result }
        result.recorded = nil
        if !hops.isEmpty { await recorder.record(hops.enumerated().map { Self.exchange($1, last: $0 == hops.count - 1) }) }
        Self.decodeBody(&result, limit: request.maxBodyBytes)
        return result
    }

    /// A recorded response as WARC records take it: a 304 points back at the URL it confirms; a
    /// redirect's body, which libcurl skips, is marked as truncated when the head announced one.
    static func exchange(_ hop: RawHop, last: Bool) -> WARCExchange {
        WARCExchange(url: hop.url, date: hop.date, ipAddress: hop.ipAddress, request: hop.request,
                     responseHead: hop.head, responseBody: hop.body, status: hop.status,
                     refersTo: hop.status == 304 ? .init(url: hop.url) : nil,
                     truncated: !last && hop.body.isEmpty && hop.declaresBody ? "unspecified" : nil)
    }

    /// Removes the chunked transfer coding and gzip/deflate content coding of a raw body (the decoded
    /// size capped at `limit`); a body that cannot be decoded fails the transfer.
    static func decodeBody(_ result: inout TransferResult, limit: Int) {
        guard result.code == 0, result.failure == nil, !result.body.isEmpty else { return }
        let headers = result.headers
        func header(_ name: String) -> String? { headers.last(where: { $0.name == name })?.value }
        do {
            result.body = try HTTPResponse.decodeBody(result.body, transferEncoding: header("transfer-encoding"),
                                                      contentEncoding: header("content-encoding"), limit: limit)
        } catch {
            switch error {
            case .bodyTooLarge: result.failure = .bodyTooLarge(limit: limit)
            default: result.failure = .corruptEncoding(error.description)
            }
            result.body = Data()
        }
    }

    /// Fetches `requested`; the outcome names the URL in the ASCII form it was fetched by (punycode host).
    public func fetch(_ requested: String) async -> FetchOutcome { await fetch(requested, source: nil) }

    public func fetchSource(_ url: String, validators: ValidatorStore.Validators?) async -> FetchOutcome {
        await fetch(url, source: SourceRequest(validators: validators))
    }

    public func fetchPageOrSource(_ url: String) async -> FetchOutcome {
        await fetch(url, source: nil, alsoSources: true)
    }

    /// Why `page` (fetched by `fetchPageOrSource`) is not for the cleaner: its content type is not
    /// HTML, or it has none and does not start like HTML; nil for an HTML page.
    public static func unsupportedContent(_ page: FetchedPage) -> FetchFailure? {
        if let type = page.contentType.flatMap(ContentType.init(header:)) {
            return type.isHTML ? nil : .unsupportedContentType(type.mediaType)
        }
        return ContentType.looksLikeHTML(page.body) ? nil : .unsupportedContentType("(none sent, and the body is not HTML)")
    }

    /// A fetch of a feed or sitemap (`fetchSource`): any content type, the caller's validators.
    struct SourceRequest {
        var validators: ValidatorStore.Validators?
    }

    private func fetch(_ requested: String, source: SourceRequest?, alsoSources: Bool = false) async -> FetchOutcome {
        let target: FetchTarget
        switch FetchTarget.parse(requested, allowFile: config.allowFileUrls) {
        case .success(let t): target = t
        case .failure(let failure): return .failed(url: requested, failure: failure)
        }
        let url = target.url
        let site = config.sites.match(url: url)?.rule  // site-rules: per-host delay, User-Agent, cookies
        var delay = Double(site?.perHostDelayMs ?? config.perHostDelayMs) / 1000
        if config.obeyRobots && !target.isFile {
            let robotsDelay = delay
            let answer = await robots.answer(for: target.origin) { robotsURL in
                await self.perform(TransferRequest(
                    url: robotsURL, hostKey: target.origin, hostDelay: robotsDelay,
                    maxBodyBytes: Robots.maxBytes, acceptAnyContent: true))
            }
            switch answer {
            case .unavailable(let reason, let until):
                return .deferred(url: url, retryAt: until, failure: .robotsUnavailable(reason: reason))
            case .rules(let rules):
                let verdict = rules.verdict(for: target.pathAndQuery)
                if !verdict.allowed {
                    return .failed(url: url, failure: .disallowedByRobots(rule: verdict.rule ?? "Disallow"))
                }
                if let crawlDelay = rules.crawlDelay { delay = max(delay, min(crawlDelay, Self.maxCrawlDelay)) }
            }
        }
        let remembered = target.isFile ? nil : source.map(\.validators) ?? validators?.validators(for: url)
        var request = TransferRequest(url: target.url, hostKey: target.origin, hostDelay: delay,
                                      headers: (remembered?.requestHeaders ?? []) + Self.siteHeaders(site), maxBodyBytes: config.maxBodyBytes,
                                      acceptAnyContent: source != nil)
        request.acceptSources = alsoSources
        var attempt = 0
        while true {
            let result = await perform(request)
            switch Self.classify(result, originalURL: url, config: config, anyContent: source != nil,
                                 alsoSources: alsoSources) {
            case .page(let page):
                if !target.isFile, source == nil, let validators {
                    validators.remember(.init(etag: page.etag, lastModified: page.lastModified), for: url)
                }
                return .fetched(page)
            case .notModified(let finalURL):
                if source == nil { validators?.touch(url) }
                return .notModified(url: url, finalURL: finalURL)
            case .failure(let failure, let retryAfter):
                if failure == .cancelled { return .deferred(url: url, retryAt: Date(), failure: .cancelled) }
                guard failure.isTemporary else { return .failed(url: url, failure: failure) }
                let wait = retryAfter ?? retry.backoff(attempt: attempt)
                if attempt < retry.retries && wait <= retry.maxDelay {
                    attempt += 1
                    do { try await Task.sleep(nanoseconds: SaturatingTime.nanoseconds(wait)) } catch {
                        return .deferred(url: url, retryAt: Date(), failure: .cancelled)
                    }
                    continue
                }
                return .deferred(url: url, retryAt: Date().addingTimeInterval(wait), failure: failure,
                                 attempts: attempt + 1)
            }
        }
    }

    enum Classified {
        case page(FetchedPage)
        case notModified(finalURL: String)
        /// `retryAfter`: seconds the server asked to wait (Retry-After), if it did.
        case failure(FetchFailure, retryAfter: Double?)
    }

    /// Turns libcurl's facts into a page, a 304, or a failure.
    static func classify(_ r: TransferResult, originalURL: String, config: FetchConfig,
                         anyContent: Bool = false, alsoSources: Bool = false) -> Classified {
        if let failure = r.failure { return .failure(failure, retryAfter: nil) }
        if r.code == 1, let refused = refusedRedirect(r) { return .failure(refused, retryAfter: nil) }
        if r.code != 0 {
            return .failure(FetchFailure(curlCode: r.code, message: r.message, chain: r.chain,
                                         maxRedirects: config.maxRedirects, maxBodyBytes: config.maxBodyBytes),
                            retryAfter: nil)
        }
        let isFile = r.finalURL.lowercased().hasPrefix("file:")
        let status = isFile && r.status == 0 ? 200 : r.status
        if status == 304 { return .notModified(finalURL: r.finalURL) }
        guard (200..<300).contains(status) else {
            let retryAfter = r.headers.last(where: { $0.name == "retry-after" })
                .flatMap { RetryPolicy.retryAfter($0.value) }
            return .failure(.http(status: status), retryAfter: retryAfter)
        }
        if r.body.isEmpty { return .failure(.emptyBody, retryAfter: nil) }
        if anyContent {
            // A feed or sitemap: the reader decides what the body is.
        } else if let type = r.contentType {
            if !type.isHTML && !(alsoSources && type.mayBeSource) {
                return .failure(.unsupportedContentType(type.mediaType), retryAfter: nil)
            }
        } else if alsoSources {
            // No type: the source reader, then `unsupportedContent`, decide.
        } else if !ContentType.looksLikeHTML(r.body) {
            return .failure(.unsupportedContentType("(none sent, and the body is not HTML)"), retryAfter: nil)
        }
        let header = { (name: String) in r.headers.last(where: { $0.name == name })?.value }
        return .page(FetchedPage(
            url: originalURL, finalURL: r.finalURL, redirects: Array(r.chain.dropFirst()), status: status,
            headers: r.headers, contentType: r.contentType?.mediaType,
            declaredCharset: r.contentType?.charset, body: r.body, etag: header("etag"),
            lastModified: header("last-modified")))
    }

    /// A redirect libcurl would not follow because of its scheme (`file:`, `ftp:`, ...): the last
    /// response was a 3xx whose Location names another scheme than http or https.
    static func refusedRedirect(_ r: TransferResult) -> FetchFailure? {
        guard (300..<400).contains(r.status), let from = r.chain.last,
              let location = r.headers.last(where: { $0.name == "location" })?.value,
              let target = URLResolver(base: from).resolve(location),
              let colon = target.firstIndex(of: ":") else { return nil }
        let scheme = target[..<colon].lowercased()
        guard scheme != "http" && scheme != "https" else { return nil }
        return .redirectToUnsupportedScheme(scheme: scheme, from: from, to: target)
    }
}

/// A URL split into what the fetcher needs: scheme, origin (the per-host key) and path for robots.txt.
package struct FetchTarget: Sendable, Equatable {
    var url: String
    var scheme: String
    /// `https://example.com:8443`, lower-cased, without user info; `file://` for files.
    package var origin: String
    /// Path and query, as robots.txt rules see them.
    var pathAndQuery: String
    package var isFile: Bool { scheme == "file" }

    /// Checks `raw` and puts it in ASCII form: an internationalised host becomes punycode (`IDNA`).
    package static func parse(_ raw: String, allowFile: Bool) -> Result<FetchTarget, FetchFailure> {
        let url: String
        switch IDNA.asciiURL(raw.trimmingCharacters(in: .whitespacesAndNewlines)) {
        case .success(let ascii): url = ascii
        case .failure(let failure): return .failure(.invalidHostName(url: raw, failure))
        }
        guard let sep = url.range(of: "://"), URL(string: url) != nil else { return .failure(.invalidURL(raw)) }
        let scheme = url[..<sep.lowerBound].lowercased()
        switch scheme {
        case "http", "https": break
        case "file":
            guard allowFile else { return .failure(.fileURLsDisabled) }
            return .success(FetchTarget(url: url, scheme: scheme, origin: "file://", pathAndQuery: "/"))
        default:
            return .failure(.unsupportedScheme(scheme))
        }
        let rest = url[sep.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { return .failure(.invalidURL(raw)) }
        var path = String(rest[authorityEnd...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if !path.hasPrefix("/") { path = "/" + path }
        return .success(FetchTarget(url: url, scheme: scheme, origin: "\(scheme)://\(authority.lowercased())",
                                    pathAndQuery: path))
    }
}
