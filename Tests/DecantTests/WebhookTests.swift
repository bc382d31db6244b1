import Foundation
import Logging
import Testing
import DecantTestSupport
@testable import DecantCore
@testable import DecantExtract
@testable import DecantFetch
@testable import DecantSpool

/// `output.webhook`: signed POSTs from the journal's outbox, retried, given up into failed/.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct WebhookTests {
    static let secret = "s3cret"

    func sender(_ spool: TestSpool, _ journal: Journal, url: String, maxAttempts: Int = 5,
                allowPrivate: Bool = true) -> WebhookSender {
        var config = WebhookConfig(url: url, secret: Self.secret)
        config.maxAttempts = maxAttempts
        config.timeoutSeconds = 5
        config.headers = ["Authorization": "Bearer t"]
        var fetch = spool.config.fetch
        fetch.allowPrivateNetworks = allowPrivate
        return WebhookSender(config: config, journal: journal, layout: spool.layout, queue: spool.config.queue,
                             fetch: fetch, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    func queue(_ journal: Journal, _ id: String) throws {
        let body = Data(#"{"id": "\#(id)", "title": "T"}"#.utf8)
        try journal.delivered(url: "https://a.example/\(id)", status: 200, completion: Journal.Completion(
            articleId: id, url: "https://a.example/\(id)", title: "T", published: nil, files: ["\(id).json"],
            time: Date().timeIntervalSince1970, log: false, webhookBody: body))
    }

    @Test func theSignatureIsTheHexHMACSHA256OfTheBody() {
        // RFC 4231-style check against a published test vector.
        let body = Data("The quick brown fox jumps over the lazy dog".utf8)
        #expect(WebhookSender.signature(of: body, secret: "key")
                == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test func theReceiverGetsTheArticleSignedWithItsIdAsIdempotencyKey() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let receiver = try WebhookReceiver(secret: Self.secret, folder: spool.folder)
        let journal = try Journal(path: spool.layout.journal)
        try queue(journal, "abcd")
        let s = sender(spool, journal, url: receiver.url)
        #expect(s.step() == .sent(articleId: "abcd"))
        #expect(s.step() == .idle(next: nil))
        #expect(receiver.posts() == [.init(key: "abcd", valid: true, status: 200, id: "abcd")])
        #expect(try journal.outboxCount() == 0)
    }

    @Test func aReceiverThatIsDownGetsTheArticleOnceWhenItIsBack() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let receiver = try WebhookReceiver(secret: Self.secret, folder: spool.folder)
        receiver.stop()
        let journal = try Journal(path: spool.layout.journal)
        try queue(journal, "abcd")
        let s = sender(spool, journal, url: receiver.url)
        guard case .retry(_, 1, let reason) = s.step() else { Issue.record("no retry"); return }
        #expect(reason.contains("curl error 7"))
        // Not due again before its backoff ends.
        guard case .idle(let next) = s.step(), let next else { Issue.record("not waiting"); return }
        #expect(next > Date())
        try receiver.start()
        #expect(s.step(now: next) == .sent(articleId: "abcd"))
        #expect(s.step(now: next.addingTimeInterval(3600)) == .idle(next: nil))
        #expect(receiver.posts().map(\.key) == ["abcd"])
    }

    @Test func anArticleIsGivenUpAfterMaxAttemptsWithARecordInFailed() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        let receiver = try WebhookReceiver(secret: Self.secret, folder: spool.folder)
        receiver.stop()
        let journal = try Journal(path: spool.layout.journal)
        try queue(journal, "abcd")
        let s = sender(spool, journal, url: receiver.url, maxAttempts: 2)
        let later = Date().addingTimeInterval(3600)
        guard case .retry = s.step() else { Issue.record("no retry"); return }
        #expect(s.step(now: later) == .gaveUp(articleId: "abcd"))
        #expect(try journal.outboxCount() == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: s.failurePath("abcd")))
        let record = try JSONDecoder().decode(WebhookSender.Failure.self, from: data)
        #expect(record.attempts == 2)
        #expect(record.id == "abcd")
        #expect(record.webhook == receiver.url)
        #expect(record.error.contains("curl error 7"))
    }

    @Test func aWebhookOnAPrivateAddressIsRefusedAtConfigurationAndAtConnection() throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        var config = spool.config
        config.fetch.allowPrivateNetworks = false
        for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/x", "http://10.1.2.3/"] {
            config.output.webhook = WebhookConfig(url: url, secret: "x")
            #expect(throws: ConfigError.self, "\(url)") { _ = try config.prepareSpool() }
            do { _ = try config.prepareSpool() } catch { #expect(error.keyPath == "output.webhook.url") }
        }
        config.output.webhook = WebhookConfig(url: "https://hooks.example.com/x", secret: "x")
        _ = try config.prepareSpool()
        // A host name is checked on the address curl connects to.
        let receiver = try WebhookReceiver(secret: Self.secret, folder: spool.folder)
        let journal = try Journal(path: spool.layout.journal)
        try queue(journal, "abcd")
        let s = sender(spool, journal, url: receiver.url, allowPrivate: false)
        guard case .retry(_, _, let reason) = s.step() else { Issue.record("no retry"); return }
        #expect(reason.contains("refused address 127.0.0.1"))
        #expect(reason.contains("fetch.allowPrivateNetworks"))
        #expect(receiver.posts().isEmpty)
    }

    @Test func badWebhookSettingsNameTheirKeyPath() {
        let cases: [(String, String)] = [
            (#"{"url": "ftp://x/", "secret": "k"}"#, "output.webhook.url"),
            (#"{"url": "not a url", "secret": "k"}"#, "output.webhook.url"),
            (#"{"secret": "k"}"#, "output.webhook.url"),
            (#"{"url": "https://x/"}"#, "output.webhook.secret"),
            (#"{"url": "https://x/", "secret": ""}"#, "output.webhook.secret"),
            (#"{"url": "https://x/", "secret": "k", "timeoutSeconds": 0}"#, "output.webhook.timeoutSeconds"),
            (#"{"url": "https://x/", "secret": "k", "maxAttempts": 0}"#, "output.webhook.maxAttempts"),
            (#"{"url": "https://x/", "secret": "k", "maxAttempts": 1.5}"#, "output.webhook.maxAttempts"),
            (#"{"url": "https://x/", "secret": "k", "headers": {"Content-Type": "x"}}"#, "output.webhook.headers.Content-Type"),
            (#"{"url": "https://x/", "secret": "k", "headers": {"X-A": "a\nb"}}"#, "output.webhook.headers.X-A"),
            (#"{"url": "https://x/", "secret": "k", "retries": 3}"#, "output.webhook.retries"),
        ]
        for (webhook, keyPath) in cases {
            let json = Data(#"{"output": {"webhook": \#(webhook)}}"#.utf8)
            do {
                _ = try PipelineConfig.decode(json)
                Issue.record("accepted \(webhook)")
            } catch {
                #expect(error.keyPath == keyPath, "\(webhook): \(error)")
            }
        }
    }

    @Test func decantRunExitsTwoNamingTheWebhookKey() throws {
        let binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
        let spool = try TestSpool()
        defer { spool.remove() }
        let cases = [(#"{"url": "https://hooks.example.com/", "secret": "k", "maxAttempts": 0}"#, "output.webhook.maxAttempts"),
                     (#"{"url": "http://127.0.0.1:9/", "secret": "k"}"#, "output.webhook.url")]
        for (webhook, keyPath) in cases {
            let config = spool.folder + "/pipeline.json"
            try Data(#"{"spool": "\#(spool.config.spool)", "output": {"webhook": \#(webhook)}}"#.utf8)
                .write(to: URL(fileURLWithPath: config))
            let (status, _, text) = try ChildProcess.run(binary, ["run", "--once", "--config", config])
            #expect(status == 2, "\(webhook): \(text)")
            #expect(text.contains(keyPath), "\(text)")
        }
    }

    @Test func theServiceSendsEachDeliveredArticleAndDrainsTheOutboxWithOnce() async throws {
        var spool = try TestSpool()
        defer { spool.remove() }
        let receiver = try WebhookReceiver(secret: Self.secret, folder: spool.folder)
        spool.config.output.webhook = WebhookConfig(url: receiver.url, secret: Self.secret)
        try spool.drop("a.txt", "https://a.example/1\nhttps://a.example/2\n")
        try await spool.runOnce(fetcher: { _, _ in StubFetcher { StubFetcher.page($0, text: "Words of \($0).") } })
        let ids = Set(try spool.articles().map(\.id))
        let posts = receiver.posts().filter { $0.key.map(ids.contains) ?? false }
        #expect(Set(posts.compactMap(\.key)) == ids)
        #expect(posts.allSatisfy { $0.valid })
        #expect(try Journal(path: spool.layout.journal).outboxCount() == 0)
    }
}
