import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DecantCore
import DecantExtract

/// Writes what the service produces into the spool, each file through tmp/ (fsync, rename):
/// articles into out/, waiting URLs into deferred/, give-ups into failed/.
public struct Delivery: Sendable {
    public let layout: SpoolLayout
    public var formats: [OutputConfig.Format]
    /// Whether `<id>.md` starts with YAML front matter (`output.frontMatter`).
    public var frontMatter: Bool

    public init(layout: SpoolLayout, formats: [OutputConfig.Format], frontMatter: Bool = false) {
        self.layout = layout
        self.formats = formats
        self.frontMatter = frontMatter
    }

    /// The path of an article's JSON in out/.
    public func articlePath(_ id: String) -> String { "\(layout.out)/\(id).json" }

    public func articleExists(_ id: String) -> Bool { access(articlePath(id), F_OK) == 0 }

    /// The `url` of the article already in `out/<id>.json`, nil when there is none (or it has no URL).
    public func articleOwner(_ id: String) -> String? {
        struct Owner: Decodable { var url: String? }
        guard let data = FileManager.default.contents(atPath: articlePath(id)) else { return nil }
        return (try? JSONDecoder().decode(Owner.self, from: data))?.url
    }

    /// Writes `<id>.md` / `<id>.txt` (when configured) and then `<id>.json`; the JSON is the commit point.
    /// Every file is fsynced; out/ itself once, after the JSON's rename (which covers the others').
    /// Renaming again after a crash replaces the same files, so nothing is ever delivered twice.
    /// `only` (a job line's `formats`) leaves out the configured formats it does not name; JSON is always written.
    public func write(_ article: Article, only: [String]? = nil) throws(SpoolError) {
        for format in [OutputConfig.Format.markdown, .text] where formats.contains(format)
            && only.map({ $0.contains(format.rawValue) }) ?? true {
            try put(format.file(article, frontMatter: frontMatter), "\(layout.out)/\(article.id).\(format.fileExtension)",
                    syncFolder: false)
        }
        try put(OutputConfig.Format.json.file(article), articlePath(article.id))
    }

    /// The record of a URL waiting in deferred/ (or of one given up in failed/).
    public struct URLRecord: Codable, Sendable, Equatable {
        public var url: String
        public var status: Int
        public var error: String
        public var attempts: Int
        public var firstSeen: String
        public var lastTry: String
        /// deferred/ only: when the next try is due.
        public var nextTry: String?
        /// failed/ only: when the URL was given up.
        public var failedAt: String?
        /// failed/ only: the page's metadata (an article with empty text) when it had no article.
        public var metadata: Article?

        package init(url: String, status: Int, error: String, attempts: Int, firstSeen: String, lastTry: String,
                     nextTry: String?, failedAt: String?, metadata: Article? = nil) {
            self.url = url
            self.status = status
            self.error = error
            self.attempts = attempts
            self.firstSeen = firstSeen
            self.lastTry = lastTry
            self.nextTry = nextTry
            self.failedAt = failedAt
            self.metadata = metadata
        }
    }

    /// The record of a job-file line or a whole job file that could not be used.
    public struct JobFailure: Codable, Sendable, Equatable {
        public var job: String
        public var line: Int?
        public var text: String?
        public var error: String
        public var failedAt: String
        /// A whole job file: the name it was moved to in failed/ (nil if it could not be moved).
        public var file: String?
    }

    public static func key(_ url: String) -> String { Fingerprint.hash(url) }

    public func writeDeferred(_ record: URLRecord) throws(SpoolError) {
        try put(Self.json(record), "\(layout.deferred)/\(Self.key(record.url)).json")
    }

    public func removeDeferred(url: String) {
        unlink("\(layout.deferred)/\(Self.key(url)).json")
    }

    public func writeFailed(_ record: URLRecord) throws(SpoolError) {
        try put(Self.json(record), "\(layout.failed)/\(Self.key(record.url)).json")
    }

    public func removeFailed(key: String) {
        unlink("\(layout.failed)/\(key).json")
    }

    /// A bad line of a job file: `failed/line-<key>.json`, named by job and line so a re-read replaces it.
    public func writeFailedLine(job: String, line: Int, text: String, error: String) throws(SpoolError) {
        let record = JobFailure(job: job, line: line, text: text, error: error, failedAt: Self.iso(Date()), file: nil)
        try put(Self.json(record), "\(layout.failed)/line-\(Fingerprint.hash("\(job)\n\(line)")).json")
    }

    /// A job file (or other entry) that cannot be used: moved from work/ to `failed/<base>` with its
    /// record in `failed/<base>.error.json`, where the base is `SpoolName.failedJobBase(name)` plus
    /// `-2`, `-3`… when taken: a name chosen so that no two records or files ever collide.
    /// Returns the base.
    @discardableResult
    public func failJob(name: String, error: String) throws(SpoolError) -> String {
        let base = try freeJobBase(for: name)
        let record = JobFailure(job: name, line: nil, text: nil, error: error, failedAt: Self.iso(Date()), file: base)
        try put(Self.json(record), "\(layout.failed)/\(base).error.json")
        let from = "\(layout.work)/\(name)", to = "\(layout.failed)/\(base)"
        if rename(from, to) != 0 && errno != ENOENT {
            throw .io(path: from, operation: "move to failed/", errno: errno)
        }
        return base
    }

    /// The first base whose file and record are both free, or whose record is this job's own from
    /// an attempt interrupted before the move (so a restart does not leave a second record).
    private func freeJobBase(for name: String) throws(SpoolError) -> String {
        let first = SpoolName.failedJobBase(name)
        for n in 1...1000 {
            let base = n == 1 ? first : "\(first)-\(n)"
            let file = "\(layout.failed)/\(base)", recordPath = file + ".error.json"
            var st = stat()
            let fileTaken = lstat(file, &st) == 0
            guard lstat(recordPath, &st) == 0 else {
                if !fileTaken { return base }
                continue
            }
            if !fileTaken, let data = FileManager.default.contents(atPath: recordPath),
               let record = try? JSONDecoder().decode(JobFailure.self, from: data), record.job == name {
                return base
            }
        }
        throw .io(path: layout.failed, operation: "find a free name for job \(SpoolName.bounded(name, limit: 64))",
                  errno: EEXIST)
    }

    /// Bytes `probeSpace` writes: enough to need fresh blocks on a full file system.
    static let probeBytes = 64 * 1024

    /// Writes (fsync) and removes a small file in tmp/: throws while the spool's disk is full.
    public func probeSpace() throws(SpoolError) {
        let path = "\(layout.tmp)/.space-probe"
        try put(Data(count: Self.probeBytes), path, syncFolder: false)
        unlink(path)
    }

    private func put(_ data: Data, _ path: String, syncFolder: Bool = true) throws(SpoolError) {
        do {
            try AtomicFile.write(data, to: path, tempDirectory: layout.tmp, durable: true, syncFolder: syncFolder)
        } catch {
            switch error {
            case .io(_, let operation, let code): throw .io(path: path, operation: operation, errno: code)
            }
        }
    }

    /// A record as JSON (keys sorted, pretty or one line) and a newline, through the one `JSONWriter`.
    public static func json<T: Encodable>(_ value: T, style: JSONWriter.Style = .pretty) -> Data {
        ((try? JSONValueEncoder(style: style).encode(value)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    package static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
    package static func iso(_ seconds: Double) -> String { iso(Date(timeIntervalSince1970: seconds)) }
}
