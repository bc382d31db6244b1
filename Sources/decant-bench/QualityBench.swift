import ArgumentParser
import Foundation
import DecantCore
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

    @Flag(help: "Keep reader comments (clean.keepComments); the texts must come out the same. Counts them on stderr.")
    var keepComments = false

    func validate() throws {
        if let param { _ = try Self.sweep(param) }
    }

    func run() async throws {
        var options = CleanConfig()
        options.keepComments = keepComments
        guard let param else { return try write(Extractor(options: options), to: out) }
        let (name, values) = try Self.sweep(param)
        for (text, value) in values {
            var extractor = Extractor(options: options)
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
            let comments = Texts(count: ids.count)
            DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
                var k = worker
                while k < ids.count {
                    let path = "\(set)/html/\(ids[k]).html.gz"
                    let url = urls[k].flatMap { $0.isEmpty ? nil : $0 }
                    if let page = try? PageInput.read(path, limit: 50_000_000),
                       let article = try? extractor.extract(page, url: url) {
                        texts.set(k, article.text)
                        comments.set(k, String(article.comments?.count ?? 0))
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
            if keepComments {
                let counts = (0..<ids.count).map { Int(comments.get($0)) ?? 0 }
                let report = "\(name): \(counts.reduce(0, +)) comments on \(counts.filter { $0 > 0 }.count) of \(ids.count) pages\n"
                FileHandle.standardError.write(Data(report.utf8))
            }
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
