import Foundation
import DecantExtract
import DecantSources

/// What a job line asks for one URL beyond fetching it (docs/sources.md "JSONL job files");
/// a nil field means the default.
public struct JobOptions: Sendable, Equatable, Codable {
    /// A feed entry's own facts, used where the page states none.
    public typealias Hints = SourceJobFile.Line.Hints

    public static let defaultPriority = 5
    public static let priorities = 0...9

    /// Added to the article's `tags` (after the page's own, duplicates dropped).
    public var tags: [String]?
    /// 0-9, higher fetched first; nil is `defaultPriority`.
    public var priority: Int?
    /// The configured output formats to write for this URL (`json` is always written); nil is all.
    public var formats: [String]?
    /// Overrides `queue.duplicateWindowHours` for this URL (0 fetches it even if delivered recently).
    public var recrawlHours: Double?
    /// A forced kind (`page`, `feed`, `sitemap`); nil detects it from the response.
    public var source: SourceKind?
    /// How deep in a sitemap index this line is (0 for a line of the user's).
    public var depth: Int?
    /// The feed this URL came from: the article's `sourceFeed`.
    public var sourceFeed: String?
    public var hints: Hints?

    public init(tags: [String]? = nil, priority: Int? = nil, formats: [String]? = nil, recrawlHours: Double? = nil,
                source: SourceKind? = nil, depth: Int? = nil, sourceFeed: String? = nil, hints: Hints? = nil) {
        self.tags = tags
        self.priority = priority
        self.formats = formats
        self.recrawlHours = recrawlHours
        self.source = source
        self.depth = depth
        self.sourceFeed = sourceFeed
        self.hints = hints
    }

    /// The priority the queue orders by.
    public var effectivePriority: Int { priority ?? Self.defaultPriority }

    /// True when every option is the default (nothing to store).
    public var isDefault: Bool { self == JobOptions() }

    /// The options as the journal's `options` column (sorted keys), nil when all are defaults.
    package var journalText: String? {
        guard !isDefault else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Options read back from the journal's `options` column (defaults when absent).
    package init(journalText: String?) {
        guard let journalText, let value = try? JSONDecoder().decode(JobOptions.self, from: Data(journalText.utf8))
        else { self.init(); return }
        self = value
    }

    /// The article with these options applied: tags added, the source feed and entry id recorded,
    /// and the hints filling the title, date, authors and tags only where the page gave none.
    public func applied(to article: Article) -> Article {
        var a = article
        if let hints {
            if a.title.isEmpty, let title = hints.title, !title.isEmpty { a.title = title }
            if a.published == nil, let published = hints.published, !published.isEmpty { a.published = published }
            if a.authors.isEmpty, a.author == nil, let author = hints.author, !author.isEmpty {
                a.authors = [author]
                a.author = author
            }
            if a.tags.isEmpty, let categories = hints.categories { a.tags = Self.merged([], categories) }
            if let entryId = hints.entryId, !entryId.isEmpty { a.sourceEntryId = entryId }
        }
        if let tags, !tags.isEmpty { a.tags = Self.merged(a.tags, tags) }
        if let sourceFeed, !sourceFeed.isEmpty { a.sourceFeed = sourceFeed }
        return a
    }

    /// `base` then the new tags not already in it (case-insensitively), empties dropped.
    static func merged(_ base: [String], _ more: [String]) -> [String] {
        var seen = Set(base.map { $0.lowercased() })
        var out = base
        for tag in more {
            let t = tag.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty, seen.insert(t.lowercased()).inserted { out.append(t) }
        }
        return out
    }
}
