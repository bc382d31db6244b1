import ArgumentParser
import Foundation
import DecantExtract

/// `decant-bench quality`: extracts every page of evaluation sets in-process and writes the texts
/// as `<set>.jsonl` (`{"id", "text"}` per line) for `../shared/eval/score.py`.
struct QualityBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Extract the pages of evaluation sets (folders with html/ and ground-truth.json) into JSONL.")

    @Argument(help: "Set folders, each with html/<id>.html.gz and ground-truth.json ({id: {url, ...}}).")
    var sets: [String]

    @Option(help: "Folder for the <set>.jsonl predictions.")
    var out = "/tmp/decant-quality"

    @Option(help: "Pages extracted in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let extractor = Extractor()
        for set in sets {
            let truthData = try Data(contentsOf: URL(fileURLWithPath: set + "/ground-truth.json"))
            guard let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: [String: Any]] else {
                throw ValidationError("\(set)/ground-truth.json is not an object of objects")
            }
            let ids = truth.keys.sorted()
            let urls = ids.map { truth[$0]?["url"] as? String }
            let texts = Texts(count: ids.count)
            DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
                var k = worker
                while k < ids.count {
                    let path = "\(set)/html/\(ids[k]).html.gz"
                    let url = urls[k].flatMap { $0.isEmpty ? nil : $0 }
                    if let page = try? PageInput.read(path, limit: 50_000_000),
                       let article = try? extractor.extract(page, url: url) {
                        texts.set(k, article.text)
                    }
                    k += max(1, jobs)
                }
            }
            var lines = Data()
            for (k, id) in ids.enumerated() {
                let line = try JSONSerialization.data(withJSONObject: ["id": id, "text": texts.get(k)], options: [.sortedKeys])
                lines.append(line)
                lines.append(0x0A)
            }
            let name = URL(fileURLWithPath: set).lastPathComponent.replacingOccurrences(of: "-dev", with: "")
            try lines.write(to: URL(fileURLWithPath: "\(out)/\(name).jsonl"))
        }
    }
}

/// Per-page results written by the worker threads (each index by one worker only).
private final class Texts: @unchecked Sendable {
    // Safe: every index is written by exactly one worker, and read after all workers finished.
    private let values: UnsafeMutableBufferPointer<String>
    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: "")
    }
    deinit {
        values.deinitialize()
        values.deallocate()
    }
    func set(_ k: Int, _ v: String) { values[k] = v }
    func get(_ k: Int) -> String { values[k] }
}
