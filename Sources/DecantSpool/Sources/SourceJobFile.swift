import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DecantCore

/// The new entries of one poll as a JSONL job file (one job line each, docs/sources.md "JSONL job
/// files"), written in tmp/ and renamed into inbox/, so the spool never sees half of it.
public enum SourceJobFile {
    /// One job line: the entry's URL, the source's tags, the source itself and the entry's hints.
    public struct Line: Sendable, Equatable, Codable {
        public struct Hints: Sendable, Equatable, Codable {
            public var title: String?
            public var published: String?
            public var author: String?
            public var categories: [String]?
            public var entryId: String?

            public init(title: String? = nil, published: String? = nil, author: String? = nil,
                        categories: [String]? = nil, entryId: String? = nil) {
                self.title = title
                self.published = published
                self.author = author
                self.categories = categories
                self.entryId = entryId
            }

            var isEmpty: Bool { self == Hints() }
        }

        public var url: String
        public var tags: [String]?
        /// `page` for an article; `sitemap` for a sitemap an index or robots.txt names (expanded in turn).
        public var source: String?
        public var sourceFeed: String?
        /// `0` for an entry offered again because its `lastmod` changed: fetched even inside the duplicate window.
        public var recrawlHours: Double?
        public var hints: Hints?
        /// 0-9, higher fetched first (nil: the default, 5).
        public var priority: Int?
        /// How deep in a sitemap index the line is (nil: 0).
        public var depth: Int?
        /// The configured output formats to write (nil: all).
        public var formats: [String]?

        public init(url: String, tags: [String]? = nil, source: String? = "page", sourceFeed: String? = nil,
                    recrawlHours: Double? = nil, hints: Hints? = nil, priority: Int? = nil, depth: Int? = nil,
                    formats: [String]? = nil) {
            self.url = url
            self.tags = tags
            self.source = source
            self.sourceFeed = sourceFeed
            self.recrawlHours = recrawlHours
            self.hints = hints
            self.priority = priority
            self.depth = depth
            self.formats = formats
        }
    }

    /// The line as JSON without a newline (keys sorted, absent keys left out).
    public static func json(_ line: Line) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(line)) ?? Data()
    }

    /// Writes `lines` as `<time>-source-<pid>-<random>.jsonl` into the inbox and returns its path;
    /// nothing is written (nil) when `lines` is empty.
    public static func write(_ lines: [Line], to layout: SpoolLayout, now: Date = Date()) throws(SpoolError) -> String? {
        guard !lines.isEmpty else { return nil }
        let stamp = now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)
            .dateSeparator(.omitted).timeSeparator(.omitted).dateTimeSeparator(.standard))
        let name = "\(stamp)-source-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).jsonl"
        let destination = "\(layout.inbox)/\(name)"
        do {
            _ = try AtomicFile.write(to: destination, tempDirectory: layout.tmp) {
                (file: AtomicFile.Writer) throws(AtomicFile.Failure) -> Bool in
                for line in lines {
                    try file.write(json(line))
                    try file.write("\n")
                }
                return true
            }
        } catch {
            switch error {
            case .io(let path, let operation, let code): throw .io(path: path, operation: operation, errno: code)
            }
        }
        return destination
    }
}
