import Foundation
import DecantCore
import DecantFetch
import DecantSources

/// A job URL's fetched body read as what it is (docs/sources.md "Feeds and sitemaps in a job"): a
/// page for the cleaner, or a feed or sitemap whose entries become the lines of one JSONL job file.
package struct SourceExpansion: Sendable {
    /// The bounds of one body and how deep sitemap indexes are followed (`sources.*`).
    package var limits: SourceLimits

    package init(limits: SourceLimits) { self.limits = limits }

    /// A feed or sitemap turned into job lines.
    package struct Expanded: Sendable, Equatable {
        package var kind: SourceKind
        package var lines: [SourceJobFile.Line]
        /// Entries past `limits.entries`, not offered.
        package var dropped: Int
    }

    /// What a fetched body is for.
    package enum Reading: Sendable, Equatable {
        case page
        case expanded(Expanded)
        case refused(ExpansionError)
    }

    /// Reads `page` (leased as `url`, at sitemap `depth`, `forced` to a kind by the job or nil to
    /// detect); entries inherit `tags`. An HTML page returns before any parse.
    package func read(_ page: FetchedPage, url: String, forced: SourceKind?, depth: Int, tags: [String]) -> Reading {
        let document: SourceDocument
        do {
            document = try SourceDocument.read(page.body, contentType: page.contentType, url: page.finalURL,
                                               override: forced, limits: limits)
        } catch {
            return .refused(.source(error))
        }
        let tags = tags.isEmpty ? nil : tags
        switch document {
        case .page:
            return .page
        case .feed(let feed):
            var seen = Set<String>()
            var lines: [SourceJobFile.Line] = []
            for entry in feed.entries {
                guard let link = entry.link, seen.insert(link).inserted else { continue }
                let hints = SourceJobFile.Line.Hints(
                    title: entry.title, published: entry.published,
                    author: entry.authors.isEmpty ? nil : entry.authors.joined(separator: ", "),
                    categories: entry.categories.isEmpty ? nil : entry.categories, entryId: entry.id)
                lines.append(SourceJobFile.Line(url: link, tags: tags, source: SourceKind.page.rawValue, sourceFeed: url,
                                                hints: hints.isEmpty ? nil : hints))
            }
            return .expanded(Expanded(kind: .feed, lines: lines, dropped: feed.dropped))
        case .sitemap(let sitemap):
            if depth > limits.sitemapDepth {
                return .refused(.sitemapTooDeep(depth: depth, limit: limits.sitemapDepth))
            }
            let childDepth = depth + 1
            if sitemap.listsSitemaps && !sitemap.entries.isEmpty && childDepth > limits.sitemapDepth {
                return .refused(.nestedSitemapsTooDeep(count: sitemap.entries.count, depth: childDepth,
                                                        limit: limits.sitemapDepth))
            }
            var seen = Set<String>()
            var lines: [SourceJobFile.Line] = []
            lines.reserveCapacity(sitemap.entries.count)
            for entry in sitemap.entries where seen.insert(entry.loc).inserted {
                lines.append(sitemap.listsSitemaps
                    ? SourceJobFile.Line(url: entry.loc, tags: tags, source: SourceKind.sitemap.rawValue, sourceFeed: url,
                                         depth: childDepth)
                    : SourceJobFile.Line(url: entry.loc, tags: tags, source: SourceKind.page.rawValue, sourceFeed: url))
            }
            return .expanded(Expanded(kind: .sitemap, lines: lines, dropped: sitemap.dropped))
        }
    }
}

/// Why a job URL's feed or sitemap was not expanded; kept typed until its failed/ record is written.
package enum ExpansionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body could not be read as the feed or sitemap it is (or was forced to be).
    case source(SourceError)
    /// A sitemap leased at a depth past `sources.sitemapDepth`.
    case sitemapTooDeep(depth: Int, limit: Int)
    /// A sitemap index (or robots.txt) whose `count` sitemaps would be at `depth`, past `sources.sitemapDepth`.
    case nestedSitemapsTooDeep(count: Int, depth: Int, limit: Int)

    package var description: String {
        switch self {
        case .source(let error): "\(error)"
        case .sitemapTooDeep(let depth, let limit):
            "a sitemap at depth \(depth) is deeper than sources.sitemapDepth (\(limit)); not expanded"
        case .nestedSitemapsTooDeep(let count, let depth, let limit):
            "lists \(count) sitemap\(count == 1 ? "" : "s") at depth \(depth), deeper than sources.sitemapDepth (\(limit)); not expanded"
        }
    }
}

extension SourcesConfig {
    /// The limits of one feed or sitemap body these settings give.
    package var limits: SourceLimits { SourceLimits(entries: maxEntries, bytes: maxBytes, sitemapDepth: sitemapDepth) }
}
