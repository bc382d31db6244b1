import Foundation
import Logging
import DecantCore
import DecantExtract
import DecantFetch
import DecantSpool

/// A fresh spool in a temporary folder, with a configuration for fast tests.
package struct TestSpool {
    package let folder: String
    package var config: PipelineConfig
    package var layout: SpoolLayout { SpoolLayout(root: config.spool) }

    package init(_ change: (inout PipelineConfig) -> Void = { _ in }) throws {
        folder = NSTemporaryDirectory() + "decant-spool-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var c = PipelineConfig()
        c.spool = folder + "/spool"
        c.schedule.intervalSeconds = 1
        c.fetch.allowPrivateNetworks = true
        c.fetch.perHostDelayMs = 0
        c.fetch.obeyRobots = false
        c.fetch.retries = 0
        c.fetch.connectTimeoutSeconds = 2
        c.fetch.timeoutSeconds = 5
        c.queue.stableSeconds = 0
        c.queue.backoffBaseSeconds = 0.2
        c.queue.backoffMaxSeconds = 1
        c.queue.shutdownGraceSeconds = 1
        change(&c)
        config = c
        try layout.create()
    }

    /// Drops a job file straight into the inbox.
    package func drop(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(layout.inbox)/\(name)"))
    }

    /// Runs the service once over the spool (with stand-ins for the fetcher or extractor when given).
    package func runOnce(fetcher: SpoolService.FetcherFactory? = nil, extractor: SpoolService.ExtractorFactory? = nil,
                 log: LogCapture? = nil) async throws {
        try await service(once: true, fetcher: fetcher, extractor: extractor, log: log).run()
    }

    /// The service on this spool, on `clock` (the system's when nil).
    package func service(once: Bool, fetcher: SpoolService.FetcherFactory? = nil,
                 extractor: SpoolService.ExtractorFactory? = nil, log: LogCapture? = nil,
                 clock: (any ServiceClock)? = nil) -> SpoolService {
        let logger = Logger(label: "test") { _ in
            log.map { CapturingLogHandler(capture: $0) as any LogHandler } ?? SwiftLogNoOpLogHandler()
        }
        return SpoolService(config: config, options: .init(once: once), logger: logger, clock: clock ?? SystemClock(),
                            makeFetcher: fetcher ?? { Fetcher(config: $0, validators: $1) },
                            makeExtractor: extractor ?? { Extractor(options: $0) })
    }

    package func files(_ folder: String, suffix: String = ".json") -> [String] {
        SpoolLayout.visibleNames(in: folder).filter { $0.hasSuffix(suffix) }
    }

    package func articles() throws -> [Article] {
        try files(layout.out).map { try Self.decode(Article.self, "\(layout.out)/\($0)") }
    }

    /// A file that does not decode as the test expected: its path, the decoder's error and how it starts.
    package struct UnreadableFile: Error, CustomStringConvertible {
        package let path: String
        package let error: any Error
        package let head: String
        package var description: String { "\(path) does not decode: \(error); it starts with \(head.debugDescription)" }
    }

    /// Decodes the JSON file at `path`, naming the file and its first bytes when that fails.
    package static func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw UnreadableFile(path: path, error: error, head: String(decoding: data.prefix(200), as: UTF8.self))
        }
    }

    package func records(_ folder: String) throws -> [Delivery.URLRecord] {
        try files(folder).filter { !$0.hasPrefix("line-") && !$0.hasSuffix(".error.json") }.map {
            try Self.decode(Delivery.URLRecord.self, "\(folder)/\($0)")
        }
    }

    /// The record of a refused job file, `failed/<base>.error.json`.
    package func jobRecord(_ base: String) throws -> Delivery.JobFailure {
        try Self.decode(Delivery.JobFailure.self, "\(layout.failed)/\(base).error.json")
    }

    /// Every job record in failed/ (`*.error.json`).
    package func jobRecords() throws -> [Delivery.JobFailure] {
        try files(layout.failed).filter { $0.hasSuffix(".error.json") }.map {
            try Self.decode(Delivery.JobFailure.self, "\(layout.failed)/\($0)")
        }
    }

    /// What the spool holds outside out/ (deferred and failed records with their errors), for failure messages.
    package func explain() -> String {
        [layout.deferred, layout.failed, layout.work, layout.inbox].map { folder in
            let names = SpoolLayout.visibleNames(in: folder)
            let texts = names.prefix(5).map { name in
                "\(name): " + String(decoding: (FileManager.default.contents(atPath: "\(folder)/\(name)") ?? Data()).prefix(400), as: UTF8.self)
            }
            return "\((folder as NSString).lastPathComponent)/ (\(names.count)): " + texts.joined(separator: "; ")
        }.joined(separator: "\n")
    }

    package func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// A fetcher that answers from a table, for service tests that need exact outcomes.
package struct StubFetcher: PageFetching {
    package var answer: @Sendable (String) -> FetchOutcome

    package init(answer: @escaping @Sendable (String) -> FetchOutcome) { self.answer = answer }

    package func fetch(_ url: String) async -> FetchOutcome { answer(url) }

    package static func page(_ url: String, title: String = "Stub", text: String) -> FetchOutcome {
        let html = "<html><head><title>\(title)</title></head><body><article><h1>\(title)</h1>"
            + "<p>\(text)</p><p>\(text)</p><p>A second paragraph that makes this long enough to count.</p>"
            + "</article></body></html>"
        return .fetched(FetchedPage(url: url, finalURL: url, status: 200, contentType: "text/html",
                                    declaredCharset: "utf-8", body: Data(html.utf8)))
    }
}

/// The log lines a service wrote, for tests that check what it says.
package final class LogCapture: @unchecked Sendable {  // `lines` is only touched under `lock`
    private let lock = NSLock()
    private var stored: [String] = []

    package init() {}

    package func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    package var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}

/// A log handler that appends every message to a `LogCapture`.
package struct CapturingLogHandler: LogHandler {
    package let capture: LogCapture
    package var logLevel: Logger.Level = .debug
    package var metadata: Logger.Metadata = [:]

    package init(capture: LogCapture) { self.capture = capture }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) { capture.append(event.message.description) }
}

/// An extractor stand-in: runs `body` for each page (to block, fail or count), then extracts it for real.
package struct StubExtractor: PageExtracting {
    package var body: @Sendable (FetchedPage) throws(ExtractError) -> Void

    package init(body: @escaping @Sendable (FetchedPage) throws(ExtractError) -> Void = { _ in }) { self.body = body }

    package func extract(page: FetchedPage) throws(ExtractError) -> Article {
        try body(page)
        return try Extractor().extract(page: page)
    }
}
