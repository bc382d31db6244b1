import Foundation
import Crypto
import Logging
import DecantCore
import DecantFetch

/// POSTs the articles waiting in the journal's outbox to `output.webhook`, one at a time, oldest due
/// first: a 2xx removes the row; anything else is tried again after the project's exponential
/// backoff (`queue.backoffBaseSeconds`…`backoffMaxSeconds`) until `maxAttempts`, then given up
/// with a record in `failed/webhook-<id>.json`.
///
/// `run` sleeps until `poke` (a new row) or the next row's due time; it never polls.
public final class WebhookSender: Sendable {
    public let config: WebhookConfig
    private let journal: Journal
    private let layout: SpoolLayout
    private let backoff: ExponentialBackoff
    private let checkAddresses: Bool
    private let userAgent: String
    private let logger: Logger
    private let wake = Wake()
    /// The sender's own blocking-I/O thread (the same mechanism as the spool's): a POST may take
    /// `timeoutSeconds`, which must not hold a thread of the spool's executor or the cooperative pool.
    private let io = SpoolIO(maxThreads: 1)
    /// How long the sender waits after the journal could not be read or written.
    static let journalErrorPause: Double = 5

    public init(config: WebhookConfig, journal: Journal, layout: SpoolLayout, queue: QueueConfig,
                fetch: FetchConfig, logger: Logger) {
        self.config = config
        self.journal = journal
        self.layout = layout
        backoff = ExponentialBackoff(base: queue.backoffBaseSeconds, cap: queue.backoffMaxSeconds)
        checkAddresses = !fetch.allowPrivateNetworks
        userAgent = fetch.userAgent
        self.logger = logger
    }

    deinit { io.shutdown() }

    /// A new row is in the outbox: the sender looks at once.
    public func poke() { wake.poke() }

    /// What one step did.
    public enum Step: Sendable, Equatable {
        case sent(articleId: String)
        case retry(articleId: String, attempts: Int, reason: String)
        case gaveUp(articleId: String)
        /// Nothing due; the next row is due then (nil: the outbox is empty).
        case idle(next: Date?)
    }

    /// Sends until cancelled, sleeping between due times.
    public func run() async {
        while !Task.isCancelled {
            let step = await io.run { self.step() }
            if case .idle(let next) = step { await wake.wait(until: next ?? .distantFuture) }
        }
    }

    /// Sends every row due now (and retries whose backoff ends meanwhile), then returns (`--once`).
    @discardableResult
    public func drain(limit: Int = 100_000) async -> [Step] {
        var steps: [Step] = []
        while steps.count < limit && !Task.isCancelled {
            let step = await io.run { self.step() }
            if case .idle = step { break }
            steps.append(step)
        }
        return steps
    }

    /// Handles the next due row (blocking: one POST at most).
    public func step(now: Date = Date()) -> Step {
        do throws(SpoolError) {
            guard let item = try journal.nextOutboxItem(now: now) else { return .idle(next: try journal.nextOutboxTime()) }
            if item.gaveUp {
                try writeFailure(item)
                try journal.outboxSent(item.id)
                return .gaveUp(articleId: item.articleId)
            }
            let attempts = item.attempts + 1
            var status = 0
            let reason: String
            switch request(for: item).perform() {
            case .success(let response) where (200..<300).contains(response.status):
                try journal.outboxSent(item.id)
                return .sent(articleId: item.articleId)
            case .success(let response):
                status = response.status
                let text = String(decoding: response.body.prefix(200), as: UTF8.self)
                reason = "HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text)")
            case .failure(let failure):
                reason = failure.description
            }
            if attempts >= config.maxAttempts {
                try journal.outboxFailed(item.id, attempts: attempts, status: status, error: reason, nextTry: nil)
                logger.error("webhook gave up on article \(item.articleId) after \(attempts) attempts: \(reason)")
                var done = item
                done.attempts = attempts
                done.status = status
                done.error = reason
                try writeFailure(done)
                try journal.outboxSent(item.id)
                return .gaveUp(articleId: item.articleId)
            }
            let next = Date().addingTimeInterval(backoff.delay(step: attempts - 1))
            try journal.outboxFailed(item.id, attempts: attempts, status: status, error: reason, nextTry: next)
            if attempts == 1 { logger.warning("webhook POST of article \(item.articleId) failed, retrying: \(reason)") }
            return .retry(articleId: item.articleId, attempts: attempts, reason: reason)
        } catch {
            logger.error("webhook outbox: \(error)")
            return .idle(next: Date().addingTimeInterval(Self.journalErrorPause))
        }
    }

    /// The POST of one row: the article's JSON, its signature and idempotency key, the configured headers.
    func request(for item: Journal.OutboxItem) -> HTTPPost {
        var headers = [
            "Content-Type: application/json",
            "Idempotency-Key: \(item.articleId)",
            "X-Decant-Signature: \(Self.signature(of: item.body, secret: config.secret))",
        ]
        for name in config.headers.keys.sorted() { headers.append("\(name): \(config.headers[name] ?? "")") }
        var post = HTTPPost(url: config.url, headers: headers, body: item.body, timeoutSeconds: config.timeoutSeconds)
        post.checkAddresses = checkAddresses
        post.userAgent = userAgent
        return post
    }

    /// `sha256=` and the lower-case hex HMAC-SHA256 of `body` keyed with `secret`.
    public static func signature(of body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The record of an article the receiver never took: `failed/webhook-<id>.json`.
    public struct Failure: Codable, Sendable, Equatable {
        public var id: String
        public var url: String
        public var webhook: String
        public var attempts: Int
        /// The last HTTP status (0 without a response).
        public var status: Int
        public var error: String
        public var queuedAt: String
        public var failedAt: String
    }

    public func failurePath(_ articleId: String) -> String { "\(layout.failed)/webhook-\(articleId).json" }

    private func writeFailure(_ item: Journal.OutboxItem) throws(SpoolError) {
        let record = Failure(id: item.articleId, url: item.url, webhook: config.url, attempts: item.attempts,
                             status: item.status, error: item.error, queuedAt: Delivery.iso(item.createdAt),
                             failedAt: Delivery.iso(Date()))
        let path = failurePath(item.articleId)
        do {
            try AtomicFile.write(Delivery.json(record), to: path, tempDirectory: layout.tmp, durable: true, syncFolder: true)
        } catch {
            switch error {
            case .io(_, let operation, let code): throw .io(path: path, operation: operation, errno: code)
            }
        }
    }
}
