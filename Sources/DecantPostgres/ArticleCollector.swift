import Foundation
import DecantCore
import DecantSpool

/// `decant collect`: copies the shared queue's articles, in delivery order, into a folder (the files
/// a node writes into out/, each through a temporary file and a rename) or as JSON lines, keeping a
/// cursor on disk so that a collector started again goes on after the last article it wrote.
public struct ArticleCollector: Sendable {
    /// Where the articles go.
    public enum Output: Sendable {
        /// `<id>.md`, `<id>.txt` and then `<id>.json` (the commit point) in this folder; the cursor is
        /// `.decant-collect.json` in it.
        case folder(String)
        /// One line per article on `write`: `{"article": {...}, "deliveredAt", "node", "seq"}`.
        case lines(@Sendable (Data) throws -> Void)
    }

    /// What went wrong while collecting.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case queue(QueueError)
        case io(path: String, operation: String, errno: Int32)
        case badCursor(path: String)
        case output(String)
        /// A row whose id cannot name a file (written by something else than decant): skipped.
        case unsafeID(seq: Int64, id: String)

        public var description: String {
            switch self {
            case .queue(let e): e.description
            case .io(let path, let op, let code): "\(path): \(op) failed: \(String(cString: strerror(code)))"
            case .badCursor(let path): "\(path): not a collect cursor ({\"seq\": N}); remove it to start from the first article"
            case .output(let message): "cannot write an article line: \(message)"
            case .unsafeID(let seq, let id): "article \(seq) has an id that cannot name a file: \(id.debugDescription)"
            }
        }
    }

    public let queue: PostgresQueue
    public let output: Output
    /// The cursor file: `<folder>/.decant-collect.json` for a folder; for lines, nil keeps none.
    public let cursorPath: String?
    /// Articles read per query.
    public var batch = 100
    /// Longest wait for an announcement while following, before the table is read again anyway.
    public var waitSeconds: Double = 60

    public init(queue: PostgresQueue, output: Output, cursorPath: String? = nil) {
        self.queue = queue
        self.output = output
        if case .folder(let folder) = output {
            self.cursorPath = cursorPath ?? "\(folder)/.decant-collect.json"
        } else {
            self.cursorPath = cursorPath
        }
    }

    /// Writes every article after the cursor; with `follow`, then waits for new ones until cancelled.
    /// Returns how many it wrote. An article whose id cannot name a file is reported and skipped.
    public func run(follow: Bool, skipped: @Sendable (Failure) -> Void = { _ in }) async throws(Failure) -> Int {
        if case .folder(let folder) = output { try prepare(folder) }
        var cursor = try readCursor()
        var written = 0
        while !Task.isCancelled {
            let articles: [SharedArticle]
            do { articles = try await queue.articles(after: cursor, limit: batch) } catch { throw .queue(error) }
            for article in articles {
                do { try write(article) } catch {
                    guard case .unsafeID = error else { throw error }
                    skipped(error)
                }
                cursor = article.seq
                try saveCursor(cursor)
                written += 1
            }
            if articles.count == batch { continue }
            guard follow else { break }
            do { try await queue.waitForArticle(after: cursor, seconds: waitSeconds) } catch {
                if Task.isCancelled { break }
                throw .queue(error)
            }
        }
        return written
    }

    // MARK: Files

    private func prepare(_ folder: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: "\(folder)/.tmp", withIntermediateDirectories: true)
        } catch {
            throw .io(path: folder, operation: "mkdir", errno: Int32((error as NSError).code))
        }
        // Temporary files of a collector killed mid-write.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/.tmp")) ?? [] {
            unlink("\(folder)/.tmp/\(name)")
        }
    }

    private func write(_ article: SharedArticle) throws(Failure) {
        switch output {
        case .folder(let folder):
            guard SharedArticle.isSafeID(article.id) else { throw .unsafeID(seq: article.seq, id: article.id) }
            for (ext, body) in [("md", article.markdown), ("txt", article.text)] {
                if let body { try put(Data(body.utf8), "\(folder)/\(article.id).\(ext)", tmp: "\(folder)/.tmp", sync: false) }
            }
            try put(Data(article.json.utf8), "\(folder)/\(article.id).json", tmp: "\(folder)/.tmp", sync: true)
        case .lines(let write):
            do { try write(Self.line(article)) } catch { throw .output("\(error)") }
        }
    }

    /// An article as one JSON line: its JSON object under `article`, with `seq` for deduplication.
    static func line(_ article: SharedArticle) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: Data(article.json.utf8))
        let record: [String: Any] = ["seq": article.seq, "node": article.node,
                                     "deliveredAt": article.deliveredAt.formatted(.iso8601), "article": object]
        return try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
            + Data("\n".utf8)
    }

    private func put(_ data: Data, _ path: String, tmp: String?, sync: Bool) throws(Failure) {
        do {
            try AtomicFile.write(data, to: path, tempDirectory: tmp, durable: true, syncFolder: sync)
        } catch {
            switch error {
            case .io(let path, let operation, let code): throw .io(path: path, operation: operation, errno: code)
            }
        }
    }

    // MARK: The cursor

    private struct Cursor: Codable { var seq: Int64 }

    private func readCursor() throws(Failure) -> Int64 {
        guard let path = cursorPath, let data = FileManager.default.contents(atPath: path) else { return 0 }
        guard let cursor = try? JSONDecoder().decode(Cursor.self, from: data), cursor.seq >= 0 else {
            throw .badCursor(path: path)
        }
        return cursor.seq
    }

    /// Saved after the article's files are in place: a collector killed between the two writes the
    /// same files again (the same names and bytes), and a line consumer sees that line's `seq` twice.
    private func saveCursor(_ seq: Int64) throws(Failure) {
        guard let path = cursorPath else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try put(Delivery.json(Cursor(seq: seq), style: .compact), path, tmp: folder.isEmpty ? nil : folder, sync: true)
    }
}
