import ArgumentParser
import Foundation
import DecantHTML
import DecantExtract

/// `decant-bench extract`: single-threaded extraction speed against libxml2's bare parse time,
/// the two timed page by page in turn.
struct ExtractBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Measure extraction speed (ms/page, pages/s) next to libxml2 parse-only time, and peak RSS.")

    @Argument(help: "Folders or files of pages (.html or .html.gz).")
    var paths: [String]

    @Option(help: "Rounds over all pages; each page's time is its median over the rounds.")
    var rounds = 5

    func run() async throws {
        let files = PageInput.expand(paths)
        let pages = try files.map { try PageInput.read($0, limit: 50_000_000) }
        guard !pages.isEmpty else { throw ValidationError("no pages found") }
        let bytes = pages.reduce(0) { $0 + $1.count }
        print("pages: \(pages.count), \(String(format: "%.1f", Double(bytes) / 1e6)) MB of HTML, \(rounds) rounds, 1 thread")

        let extractor = Extractor()
        var failures = 0
        let (parse, extract) = measure(pages, { HTMLDocument.parseOnly($0, encoding: Self.encoding(of: $0)) }, { page in
            do { _ = try extractor.extract(page) } catch { failures += 1 }
        })
        report("libxml2 parse only", parse, pages: pages.count)
        report("decant extract    ", extract, pages: pages.count)
        let ratio = extract.total / parse.total
        print(String(format: "extract / parse: %.2f× (total time), %.2f× (median page)", ratio, extract.median / parse.median))
        print("pages without an article: \(failures / rounds)")
        print("peak RSS: \(PeakMemory.megabytes()) MB")
    }

    /// The charset the extractor would decide, so the parse baseline decodes the same way.
    static func encoding(of page: Data) -> String {
        page.withUnsafeBytes { Charset.decide($0).name }
    }

    struct Timing {
        var median: Double  // ms per page
        var total: Double   // s for one round (sum of per-page medians)
    }

    /// Times `first` and `second` on each page in turn, so that both see the same load on a shared
    /// machine; each page's time is its median over the rounds.
    private func measure(_ pages: [Data], _ first: (Data) -> Void, _ second: (Data) -> Void) -> (Timing, Timing) {
        var a = [[Double]](repeating: [], count: pages.count)
        var b = a
        for _ in 0..<rounds {
            for (k, page) in pages.enumerated() {
                a[k].append(Self.time { first(page) })
                b[k].append(Self.time { second(page) })
            }
        }
        return (Self.timing(a), Self.timing(b))
    }

    private static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    private static func timing(_ perPage: [[Double]]) -> Timing {
        let medians = perPage.map { $0.sorted()[$0.count / 2] }
        return Timing(median: medians.sorted()[medians.count / 2], total: medians.reduce(0, +) / 1000)
    }

    private func report(_ name: String, _ t: Timing, pages: Int) {
        print(String(format: "%@  median %.2f ms/page, mean %.2f ms/page, %.0f pages/s",
                     name, t.median, t.total * 1000 / Double(pages), Double(pages) / t.total))
    }
}

/// Peak resident memory of this process, from getrusage.
enum PeakMemory {
    static func megabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) / 1024
    }
}
