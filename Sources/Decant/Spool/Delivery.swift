import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes what the service produces into the spool, each file through tmp/ (fsync, rename):
/// articles into out/, waiting URLs into deferred/, give-ups into failed/.
public struct Delivery: Sendable {
    public let layout: SpoolLayout
    public var formats: [OutputConfig.Format]

    public init(layout: SpoolLayout, formats: [OutputConfig.Format]) {
        self.layout = layout
        self.formats = formats
    }

    /// The path of an article's JSON in out/.
    public func articlePath(_ id: String) -> String { "\(layout.out)/\(id).json" }

    public func articleExists(_ id: String) -> Bool { access(articlePath(id), F_OK) == 0 }

    /// Writes `<id>.md` / `<id>.txt` (when configured) and then `<id>.json`; the JSON is the commit point.
    /// Every file is fsynced; out/ itself once, after the JSON's rename (which covers the others').
    /// Renaming again after a crash replaces the same files, so nothing is ever delivered twice.
    public func write(_ article: Article) throws(SpoolError) {
        if formats.contains(.markdown) {
            try put(Data(((article.markdown ?? article.text) + "\n").utf8), "\(layout.out)/\(article.id).md",
                    syncFolder: false)
        }
        if formats.contains(.text) {
            try put(Data((article.text + "\n").utf8), "\(layout.out)/\(article.id).txt", syncFolder: false)
        }
        try put(article.jsonData() + Data("\n".utf8), articlePath(article.id))
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
    }

    /// The record of a job-file line or a whole job file that could not be used.
    public struct JobFailure: Codable, Sendable, Equatable {
        public var job: String
        public var line: Int?
        public var text: String?
        public var error: String
        public var failedAt: String
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
        let record = JobFailure(job: job, line: line, text: text, error: error, failedAt: Self.iso(Date()))
        try put(Self.json(record), "\(layout.failed)/line-\(Fingerprint.hash("\(job)\n\(line)")).json")
    }

    /// A job file that cannot be read: moved to `failed/<name>` with `failed/<name>.error.json` beside it.
    public func failJob(name: String, error: String) throws(SpoolError) {
        let record = JobFailure(job: name, line: nil, text: nil, error: error, failedAt: Self.iso(Date()))
        try put(Self.json(record), "\(layout.failed)/\(name).error.json")
        let from = "\(layout.work)/\(name)", to = "\(layout.failed)/\(name)"
        if rename(from, to) != 0 && errno != ENOENT {
            throw .io(path: from, operation: "move to failed/", reason: String(cString: strerror(errno)))
        }
    }

    private func put(_ data: Data, _ path: String, syncFolder: Bool = true) throws(SpoolError) {
        do {
            try AtomicFile.write(data, to: path, tempDirectory: layout.tmp, durable: true, syncFolder: syncFolder)
        } catch {
            throw .io(path: path, operation: "write", reason: error.description)
        }
    }

    static func json<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
    static func iso(_ seconds: Double) -> String { iso(Date(timeIntervalSince1970: seconds)) }
}
