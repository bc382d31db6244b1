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

    @Option(help: ArgumentHelp(
        "Sweep one scoring parameter: name=v1,v2,... writes the predictions of each value to <out>/<name>=<v>/.",
        valueName: "name=values"))
    var param: String?

    func validate() throws {
        if let param { _ = try Self.sweep(param) }
    }

    func run() async throws {
        guard let param else { return try write(Extractor(), to: out) }
        let (name, values) = try Self.sweep(param)
        for (text, value) in values {
            var extractor = Extractor()
            _ = extractor.parameters.set(name, to: value)
            try write(extractor, to: "\(out)/\(name)=\(text)")
        }
    }

    /// The parameter's name and its values (as written, and as numbers) from `name=v1,v2,...`.
    static func sweep(_ spec: String) throws -> (String, [(String, Double)]) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, ScoringParameters.fields[parts[0]] != nil else {
            let names = ScoringParameters.fields.keys.sorted().joined(separator: ", ")
            throw ValidationError("--param wants name=v1,v2,... with a name among: \(names)")
        }
        var values: [(String, Double)] = []
        for text in parts[1].split(separator: ",").map(String.init) {
            var probe = ScoringParameters.standard
            guard let value = Double(text), probe.set(parts[0], to: value) else {
                throw ValidationError("--param \(parts[0]): \(text) is not a value it takes")
            }
            values.append((text, value))
        }
        guard !values.isEmpty else { throw ValidationError("--param \(parts[0]): no values") }
        return (parts[0], values)
    }

    /// Extracts every set with `extractor` into `folder`/<set>.jsonl.
    private func write(_ extractor: Extractor, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
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
            try lines.write(to: URL(fileURLWithPath: "\(folder)/\(name).jsonl"))
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
