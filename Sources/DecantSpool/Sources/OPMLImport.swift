import Foundation
import DecantSources

/// `decant enqueue --opml FILE`: every feed of an OPML export becomes a recurring source, its
/// folders (the outlines around it) its tags.
public enum OPMLImport {
    /// What an import did.
    public struct Summary: Sendable, Equatable {
        /// Feeds in the file.
        public var feeds: Int
        /// Feeds subscribed now; the others were subscribed before and are left as they are.
        public var added: Int
        /// True when the file listed more feeds than `SourceLimits.entries` and the rest were dropped.
        public var truncated: Bool
    }

    /// Why an import failed: the file could not be read or parsed, or the journal failed.
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformed(path: String, SourceError)
        case journal(SpoolError)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .malformed(let path, let error): "\(path) is not a usable OPML file: \(error)"
            case .journal(let error): "\(error)"
            }
        }
    }

    /// The feeds of an OPML file with their tags, in document order, each URL once.
    public static func feeds(in data: Data, path: String) throws(Failure) -> (feeds: [(url: String, tags: [String])], truncated: Bool) {
        let document: OPMLDocument
        do { document = try OPMLDocument(parsing: data, url: URL(fileURLWithPath: path).absoluteString) } catch {
            throw .malformed(path: path, error)
        }
        var seen = Set<String>()
        let feeds = document.feeds.filter { seen.insert($0.url).inserted }.map { feed in
            (url: feed.url, tags: feed.folders)
        }
        return (feeds, document.truncated)
    }

    /// Reads `path` and subscribes its feeds at `intervalSeconds`.
    public static func run(path: String, store: SourceStore, intervalSeconds: Double) throws(Failure) -> Summary {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        let (feeds, truncated) = try feeds(in: data, path: path)
        do {
            let added = try store.subscribeNew(feeds, intervalSeconds: intervalSeconds)
            return Summary(feeds: feeds.count, added: added, truncated: truncated)
        } catch {
            throw .journal(error)
        }
    }
}
