import ArgumentParser
import Foundation
import DecantSpool

/// `decant-bench spool`: how fast the spool reads a huge job file into its journal, and that memory
/// stays flat while it does (the end-to-end service benchmark is `scripts/bench-spool.sh`).
struct SpoolBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "Measure job-file ingestion (lines/s) and memory on a huge job file (default: a million URLs).",
        discussion: """
            Writes a job file of --lines URLs into a temporary folder, streams it through the job-file \
            reader into a fresh journal in batches of 500 (as the service does), and prints lines/s, the \
            journal's size and peak RSS at every tenth of the file, so a growing footprint would show.
            """)

    @Option(help: "URLs in the generated job file.")
    var lines = 1_000_000

    @Option(help: "Work folder (default: a new temporary folder, removed afterwards).")
    var work: String?

    func run() async throws {
        let folder = work ?? (NSTemporaryDirectory() + "decant-spool-bench-" + UUID().uuidString)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let jobPath = folder + "/million.txt"
        guard let file = fopen(jobPath, "w") else { throw ValidationError("cannot write \(jobPath)") }
        for i in 0..<lines {
            if i % 1000 == 0 { fputs("# block \(i / 1000)\n", file) }
            fputs("https://host\(i % 97).example.org/\(2000 + i % 25)/\(i % 12 + 1)/article-\(i).html\n", file)
        }
        fclose(file)
        let size = (try FileManager.default.attributesOfItem(atPath: jobPath)[.size] as? Int) ?? 0
        print(String(format: "job file: %d URLs, %.1f MB; start RSS %d MB", lines, Double(size) / 1e6,
                     PeakMemory.megabytes()))

        let journal = try Journal(path: folder + "/state.sqlite")
        try journal.addJob("million.txt")
        let reader = try JobFileReader(path: jobPath)
        var batch: [(url: String, line: Int)] = []
        var read = 0
        let start = Date()
        var nextReport = lines / 10
        while let line = try reader.next() {
            if case .url(let url, _) = line.kind {
                batch.append((url, line.number))
                read += 1
            }
            if batch.count == 500 {
                _ = try journal.ingest(job: "million.txt", urls: batch, offset: line.endOffset, lines: line.number,
                                       windowHours: 24)
                batch.removeAll(keepingCapacity: true)
            }
            if read >= nextReport {
                nextReport += lines / 10
                let s = Date().timeIntervalSince(start)
                print(String(format: "  %8d URLs  %6.1f s  %7.0f URLs/s  peak RSS %d MB", read, s, Double(read) / s,
                             PeakMemory.megabytes()))
            }
        }
        if !batch.isEmpty {
            _ = try journal.ingest(job: "million.txt", urls: batch, offset: size, lines: read, windowHours: 24)
        }
        let seconds = Date().timeIntervalSince(start)
        let journalSize = (try? FileManager.default.attributesOfItem(atPath: folder + "/state.sqlite")[.size] as? Int) ?? 0
        print(String(format: "ingested %d URLs in %.1f s (%.0f URLs/s); journal %.0f MB; peak RSS %d MB",
                     read, seconds, Double(read) / seconds, Double(journalSize) / 1e6, PeakMemory.megabytes()))
    }
}
