import Foundation
import Synchronization
import DecantCore
import DecantExtract

/// Extracts many pages into a folder, in parallel, with progress and a summary on stderr.
struct BatchExtraction {
    var extractor: Extractor
    var outputFolder: String
    var jobs: Int
    var url: String?
    /// What each page's file holds: `<id>.json`, `<id>.md` or `<id>.txt`.
    var format: OutputConfig.Format

    private struct Result: Sendable {
        var input: String
        var error: String?
    }

    func run(inputs: [String]) async throws {
        do {
            try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        } catch {
            throw CLIFailure.usage("cannot create --out folder \(outputFolder): \(error.localizedDescription)")
        }
        let files = PageInput.expand(inputs)
        if files.isEmpty { throw CLIFailure.usage("no HTML pages found in \(inputs.joined(separator: " "))") }
        let start = Date()
        var lastProgress = start
        var done = 0
        var failures: [Result] = []
        let extractor = self.extractor
        let folder = outputFolder
        let url = self.url
        let format = self.format
        let limit = extractor.options.maxPageBytes
        let claims = IDClaims()
        await withTaskGroup(of: Result.self) { group in
            var next = 0
            func submit() {
                let input = files[next]
                next += 1
                group.addTask {
                    Self.process(input, extractor: extractor, url: url, format: format, folder: folder, limit: limit,
                                 claims: claims)
                }
            }
            while next < min(jobs, files.count) { submit() }
            for await result in group {
                done += 1
                if result.error != nil { failures.append(result) }
                if next < files.count { submit() }
                let now = Date()
                if now.timeIntervalSince(lastProgress) >= 2 {
                    lastProgress = now
                    stderr("\(done)/\(files.count) pages, \(failures.count) failed")
                }
            }
        }
        for f in failures.sorted(by: { $0.input < $1.input }) { stderr("failed \(f.input): \(f.error ?? "")") }
        let seconds = Date().timeIntervalSince(start)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        stderr(String(format: "extracted %d of %d pages into %@, %d failed, %.1f s (%.0f pages/s)",
                      done - failures.count, files.count, folder, failures.count, seconds, rate))
        if !failures.isEmpty { throw CLIFailure.pageFailed() }
    }

    private static func process(_ input: String, extractor: Extractor, url: String?, format: OutputConfig.Format,
                                folder: String, limit: Int, claims: IDClaims) -> Result {
        do {
            let data = try PageInput.read(input, limit: limit)
            var article = try extractor.extract(data, url: url)
            if url == nil && input != "-" { article.id = ArticleID.of(filePath: input) }
            if let other = claims.claim(article.id, for: input) {
                return Result(input: input, error: "article id \(article.id) is already \(other)'s in this batch; not overwritten")
            }
            try AtomicFile.write(format.file(article), to: "\(folder)/\(article.id).\(format.fileExtension)", durable: false)
            return Result(input: input, error: nil)
        } catch {
            return Result(input: input, error: "\(error)")
        }
    }
}

/// The article ids a batch has written, so that two inputs never end in one file unnoticed.
final class IDClaims: Sendable {
    private let owners = Mutex<[String: String]>([:])

    /// Takes `id` for `input`; returns the input that took it first, nil when it was free (or its own).
    func claim(_ id: String, for input: String) -> String? {
        owners.withLock { map in
            if let other = map[id], other != input { return other }
            map[id] = input
            return nil
        }
    }
}

/// Writes one line to stderr, its control characters escaped (file names and URLs come from outside).
func stderr(_ line: String) {
    FileHandle.standardError.write(Data((TextEscaping.escaped(line) + "\n").utf8))
}
