import ArgumentParser
import Foundation
import Synchronization
import DecantCore
import DecantExtract
import DecantFetch

extension Decant {
    /// `decant fetch`: fetch URLs now (no spool), clean them, and print or write the articles.
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Fetch URLs now, clean them, and print or write the articles.",
            discussion: """
                Reads URLs from the arguments, or one per line from stdin with '-' (blank lines and \
                '#' comments skipped). Obeys the fetch settings of the configuration: concurrency, \
                per-host limits and delays, robots.txt, retries, size caps, address safety. \
                One outcome line per URL goes to stderr, then a summary. With --out, writes <id>.json \
                (and <id>.md for --format markdown, <id>.txt for text) per article; with --raw, \
                writes <id>.body and <id>.headers.json instead. Exit status 1 when any URL failed or \
                was deferred (a temporary failure that outlasted the retries); a 304 counts as success.
                """)

        @Argument(help: "URLs to fetch, or - to read them from stdin, one per line.")
        var urls: [String] = []

        @Option(help: "Write one file per URL into this folder instead of printing.")
        var out: String?

        @Option(help: "Output format: json, markdown or text.")
        var format: OutputConfig.Format = .json

        @Flag(help: "Store the response body and headers instead of an article.")
        var raw = false

        @Flag(help: "Send ETag/Last-Modified remembered in the spool's validators database (a 304 is 'not modified').")
        var conditional = false

        @Flag(help: "Print outcome lines only for URLs that did not succeed.")
        var quiet = false

        @OptionGroup var common: ConfigOption

        func validate() throws {
            if urls.isEmpty { throw ValidationError("give at least one URL, or - to read URLs from stdin") }
        }

        func run() async throws {
            let config = try common.load()
            var validators: ValidatorStore?
            if conditional {
                do { validators = try ValidatorStore.open(for: config) } catch { throw CLIFailure.usage("\(error)") }
            }
            if let out {
                do {
                    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                } catch {
                    throw CLIFailure.usage("cannot create --out folder \(out): \(error.localizedDescription)")
                }
            }
            let fetcher = Fetcher(config: config.fetch, validators: validators)
            let delivery = FetchDelivery(mode: raw ? .raw : .article(Extractor(options: config.clean)),
                                         folder: out, format: format)
            let run = FetchRun(fetcher: fetcher, delivery: delivery, quiet: quiet,
                               inFlight: min(4096, max(8, SaturatingTime.multiplying(config.fetch.concurrency, 2))))
            let summary = await fetcher.serving { await run.run(urls: urls) }
            stderr(summary.line)
            if summary.failed + summary.deferred > 0 { throw CLIFailure.pageFailed() }
        }
    }
}

/// Feeds URLs (arguments or stdin, streamed) to the fetcher with a bounded number in flight.
struct FetchRun {
    let fetcher: Fetcher
    let delivery: FetchDelivery
    let quiet: Bool
    let inFlight: Int

    struct Summary {
        var fetched = 0, notModified = 0, deferred = 0, failed = 0
        var seconds: Double = 0
        var total: Int { fetched + notModified + deferred + failed }
        var line: String {
            String(format: "%d URLs: %d fetched, %d not modified, %d deferred, %d failed in %.1f s (%.0f URLs/s)",
                   total, fetched, notModified, deferred, failed, seconds, seconds > 0 ? Double(total) / seconds : 0)
        }
    }

    func run(urls: [String]) async -> Summary {
        var summary = Summary()
        let start = Date()
        var source = URLSource(arguments: urls)
        let fetcher = self.fetcher, delivery = self.delivery
        await BoundedFanOut.run(limit: inFlight, next: { source.next() },
                                work: { url in delivery.deliver(await fetcher.fetch(url)) }) { report in
            switch report.kind {
            case .fetched: summary.fetched += 1
            case .notModified: summary.notModified += 1
            case .deferred: summary.deferred += 1
            case .failed: summary.failed += 1
            }
            if let output = report.stdout { FileHandle.standardOutput.write(output) }
            if !quiet || report.kind == .failed || report.kind == .deferred { stderr(report.line) }
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}

/// URLs from the arguments; `-` streams stdin line by line (so a huge list needs no memory).
struct URLSource {
    private var arguments: IndexingIterator<[String]>
    private var readingStdin = false

    init(arguments: [String]) { self.arguments = arguments.makeIterator() }

    mutating func next() -> String? {
        while true {
            if readingStdin {
                guard let line = readLine(strippingNewline: true) else { readingStdin = false; continue }
                let url = line.trimmingCharacters(in: .whitespaces)
                if url.isEmpty || url.hasPrefix("#") { continue }
                return url
            }
            guard let argument = arguments.next() else { return nil }
            if argument == "-" { readingStdin = true; continue }
            return argument
        }
    }
}

/// Turns one outcome into files (or stdout bytes) and a one-line report.
struct FetchDelivery: Sendable {
    enum Mode: Sendable { case raw, article(Extractor) }
    enum Kind: Sendable { case fetched, notModified, deferred, failed }

    struct Report: Sendable {
        var kind: Kind
        var line: String
        var stdout: Data?
    }

    let mode: Mode
    let folder: String?
    let format: OutputConfig.Format
    let writing = ArticleWrites()

    func deliver(_ outcome: FetchOutcome) -> Report {
        switch outcome {
        case .fetched(let page):
            do {
                return try deliver(page)
            } catch ExtractError.noContent(let metadata) where folder == nil && format == .json {
                // As `extract`: the page's metadata is printed (with `error`), the URL still failed.
                return Report(kind: .failed, line: "failed \(page.url): \(ExtractError.noContent(metadata: metadata))",
                              stdout: format.file(metadata))
            } catch {
                return Report(kind: .failed, line: "failed \(page.url): \(error)")
            }
        case .notModified(let url, _):
            return Report(kind: .notModified, line: "not modified \(url)")
        case .deferred(let url, let retryAt, _, _):
            let when = retryAt.formatted(.iso8601)
            return Report(kind: .deferred, line: "deferred \(url) until \(when): \(outcome.reason)")
        case .failed(let url, _):
            return Report(kind: .failed, line: "failed \(url): \(outcome.reason)")
        }
    }

    private func deliver(_ page: FetchedPage) throws -> Report {
        let size = Self.formatBytes(page.body.count)
        switch mode {
        case .raw:
            guard let folder else {
                return Report(kind: .fetched, line: "fetched \(page.url) (\(page.status), \(size))", stdout: page.body)
            }
            let id = Fingerprint.hash(page.url)
            try AtomicFile.write(page.body, to: "\(folder)/\(id).body", durable: false)
            try AtomicFile.write(RawHeaders(page).jsonData(), to: "\(folder)/\(id).headers.json", durable: false)
            return Report(kind: .fetched, line: "fetched \(page.url) (\(page.status), \(size)) -> \(id).body")
        case .article(let extractor):
            let article = try extractor.extract(page: page)
            let line = "fetched \(page.url) (\(page.status), \(size))"
            guard let folder else { return Report(kind: .fetched, line: line, stdout: format.file(article)) }
            if let other = writing.begin(article.id, url: page.url, folder: folder) {
                return Report(kind: .failed, line: "failed \(page.url): article id \(article.id) already belongs to "
                              + "\(other) (\(article.id).json); not overwritten")
            }
            defer { writing.end(article.id) }
            try AtomicFile.write(OutputConfig.Format.json.file(article), to: "\(folder)/\(article.id).json", durable: false)
            if format != .json {
                try AtomicFile.write(format.file(article), to: "\(folder)/\(article.id).\(format.fileExtension)",
                                     durable: false)
            }
            return Report(kind: .fetched, line: line + " -> \(article.id).json")
        }
    }

    static func formatBytes(_ n: Int) -> String {
        n < 1024 ? "\(n) B" : n < 1024 * 1024 ? String(format: "%.1f KB", Double(n) / 1024)
            : String(format: "%.1f MB", Double(n) / 1_048_576)
    }
}

/// The `<id>.headers.json` of `--raw`: what HTTP said about the stored body.
struct RawHeaders: Encodable {
    var url: String
    var finalUrl: String
    var redirects: [String]
    var status: Int
    var fetchedAt: String
    var headers: [[String]]

    init(_ page: FetchedPage) {
        url = page.url
        finalUrl = page.finalURL
        redirects = page.redirects
        status = page.status
        fetchedAt = page.fetchedAt.formatted(.iso8601)
        headers = page.headers.map { [$0.name, $0.value] }
    }

    func jsonData() throws -> Data {
        try JSONValueEncoder(style: .compact).encode(self) + Data("\n".utf8)
    }
}

/// The article files `decant fetch --out` is writing, so that two URLs never write one file unnoticed:
/// an id is refused while another URL writes it, or when its file in the folder is another URL's.
/// Holds only the writes in progress (bounded by the URLs in flight).
final class ArticleWrites: Sendable {
    private let active = Mutex<[String: String]>([:])

    /// Starts writing `id` for `url`; returns the other URL that owns the id, nil when `url` may write it.
    func begin(_ id: String, url: String, folder: String) -> String? {
        active.withLock { map in
            if let other = map[id] { return other == url ? nil : other }
            if let data = FileManager.default.contents(atPath: "\(folder)/\(id).json"),
               let owner = (try? JSONDecoder().decode(Owner.self, from: data))?.url, owner != url {
                return owner
            }
            map[id] = url
            return nil
        }
    }

    func end(_ id: String) { _ = active.withLock { $0.removeValue(forKey: id) } }

    private struct Owner: Decodable { var url: String? }
}
