import ArgumentParser
import Foundation
import DecantCore
import DecantExtract
import DecantFetch

/// `decant-bench fetch`: fetch a URL list with the real `Fetcher` and report pages/s and peak RSS.
///
/// `--mode raw` keeps bodies in memory only (or writes them with `--out`); `--mode article` also
/// cleans each page and writes `<id>.json` atomically. Driven by `scripts/bench-fetch.sh`.
struct FetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Fetch throughput: pages/s and peak RSS (see scripts/bench-fetch.sh).")

    enum Mode: String, ExpressibleByArgument { case raw, article }

    @Option(help: "File with one URL per line.")
    var urls: String

    @Option(help: "raw: fetch only; article: fetch, clean and write articles.")
    var mode: Mode = .raw

    @Option(help: "Write bodies (raw) or articles into this folder.")
    var out: String?

    @Option(help: "Global concurrency (fetch.concurrency).")
    var concurrency = 16

    @Option(help: "Per-host concurrency (fetch.perHostConcurrency).")
    var perHost = 4

    @Option(help: "Per-host delay in ms (fetch.perHostDelayMs).")
    var delayMs = 0

    @Option(help: "URLs handed to the fetcher at once (default: 4 × concurrency).")
    var inFlight: Int?

    @Option(help: "Fetch only the first N URLs.")
    var limit: Int?

    @Option(help: "pipeline.json for the other fetch settings (default: built-in defaults).")
    var config: String?

    func run() async throws {
        var pipeline = try PipelineConfig.load(path: config)
        pipeline.fetch.concurrency = concurrency
        pipeline.fetch.perHostConcurrency = perHost
        pipeline.fetch.perHostDelayMs = delayMs
        pipeline.fetch.allowPrivateNetworks = true  // the benchmark site is on 127.0.0.x
        var list = try String(contentsOfFile: urls, encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let limit { list = Array(list.prefix(limit)) }
        if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }

        let fetcher = Fetcher(config: pipeline.fetch)
        let sink = BenchSink(mode: mode, out: out, extractor: Extractor(options: pipeline.clean))
        let start = Date()
        var ok = 0, failed = 0, bytes = 0
        var reasons: [String: Int] = [:]
        let inFlight = max(1, self.inFlight ?? concurrency * 4)
        var urls = list.makeIterator()
        await fetcher.serving {
            await BoundedFanOut.run(limit: inFlight, next: { urls.next() },
                                    work: { url in sink.consume(await fetcher.fetch(url)) }) { result in
                if let reason = result.failure {
                    failed += 1
                    if reasons.count < 20 || reasons[reason] != nil { reasons[reason, default: 0] += 1 }
                } else {
                    ok += 1
                    bytes += result.bytes
                }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        for (reason, n) in reasons.sorted(by: { $0.value > $1.value }).prefix(5) {
            print("  \(n)× \(reason)")
        }
        let rss = peakRSSMegabytes()
        print(String(format: "decant %@: %d pages ok, %d failed, %.2f s, %.0f pages/s, %.1f MB/s decoded, peak RSS %.1f MB",
                     mode.rawValue, ok, failed, seconds, Double(ok) / seconds,
                     Double(bytes) / seconds / 1_048_576, rss))
        print(String(format: "RESULT mode=%@ pages=%d failed=%d seconds=%.3f pages_per_s=%.1f peak_rss_mb=%.1f",
                     mode.rawValue, ok, failed, seconds, Double(ok) / seconds, rss))
    }
}

/// What the benchmark does with each outcome; Sendable and stateless so tasks can share it.
struct BenchSink: Sendable {
    struct Result: Sendable {
        var bytes = 0
        var failure: String?
    }

    let mode: FetchBench.Mode
    let out: String?
    let extractor: Extractor

    func consume(_ outcome: FetchOutcome) -> Result {
        switch outcome {
        case .fetched(let page):
            do {
                switch mode {
                case .raw:
                    if let out { try AtomicFile.write(page.body, to: "\(out)/\(Fingerprint.hash(page.url)).body", durable: false) }
                case .article:
                    let article = try extractor.extract(page: page)
                    if let out { try AtomicFile.write(article.jsonData(), to: "\(out)/\(article.id).json", durable: false) }
                }
                return Result(bytes: page.body.count)
            } catch {
                return Result(failure: "\(error)")
            }
        case .notModified: return Result()
        case .deferred, .failed: return Result(failure: outcome.reason)
        }
    }
}

/// Peak resident set size of this process so far, in MB (getrusage reports KiB on Linux).
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
