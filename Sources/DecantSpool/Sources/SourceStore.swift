import Foundation
import GRDB

/// The recurring sources in the spool's journal (`sources`) and the entries each has offered
/// (`source_entries`): what to poll when, how it went, and what not to offer again.
///
/// An entry counts as seen by its id or its URL; a sitemap entry whose `lastmod` moved past the
/// recorded one is offered again. Entries are recorded only after their job file is in the inbox.
public final class SourceStore: Sendable {
    /// One subscribed feed or sitemap.
    public struct Source: Sendable, Equatable, FetchableRecord {
        public var url: String
        public var intervalSeconds: Double
        public var tags: [String]
        /// Validators of the last changed response, sent back on the next poll.
        public var etag: String?
        public var lastModified: String?
        /// When the source is next due (seconds since 1970).
        public var nextPoll: Double
        /// Polls failed in a row (0 after a success).
        public var failures: Int
        public var lastError: String?
        public var lastPolled: Double?
        /// The last poll that got a new body (not a 304).
        public var lastChanged: Double?
        public var addedAt: Double

        public init(row: Row) throws {
            url = row["url"]
            intervalSeconds = row["intervalSeconds"]
            tags = SourceStore.tags(row["tags"])
            etag = row["etag"]
            lastModified = row["lastModified"]
            nextPoll = row["nextPoll"]
            failures = row["failures"]
            lastError = row["lastError"]
            lastPolled = row["lastPolled"]
            lastChanged = row["lastChanged"]
            addedAt = row["addedAt"]
        }
    }

    /// An entry a poll found: its id (the feed's, else its URL), URL and, for sitemaps, `lastmod`.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var url: String
        public var lastmod: String?

        public init(id: String, url: String, lastmod: String? = nil) {
            self.id = id
            self.url = url
            self.lastmod = lastmod
        }
    }

    /// Whether an entry is news: never seen, or seen with an older `lastmod`.
    public enum Freshness: Sendable, Equatable {
        case new
        case changed
        case seen
    }

    /// Entries not listed by their source for this long are forgotten (keeps the table bounded).
    static let entryRetentionSeconds: Double = 90 * 86_400

    let journal: Journal
    var database: DatabaseQueue { journal.database }

    public init(journal: Journal) { self.journal = journal }

    /// The journal's named migration that adds the two tables.
    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sources (
                url TEXT PRIMARY KEY NOT NULL, intervalSeconds DOUBLE NOT NULL, tags TEXT NOT NULL DEFAULT '',
                etag TEXT, lastModified TEXT, nextPoll DOUBLE NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
                lastError TEXT, lastPolled DOUBLE, lastChanged DOUBLE, addedAt DOUBLE NOT NULL);
            CREATE INDEX sources_due ON sources(nextPoll);
            CREATE TABLE source_entries (
                source TEXT NOT NULL, entryId TEXT NOT NULL, url TEXT NOT NULL, lastmod TEXT,
                firstSeen DOUBLE NOT NULL, lastSeen DOUBLE NOT NULL, PRIMARY KEY (source, entryId));
            CREATE INDEX source_entries_url ON source_entries(source, url);
            CREATE INDEX source_entries_seen ON source_entries(lastSeen);
            """)
    }

    private func write<T>(_ what: String, _ body: (Database) throws -> T) throws(SpoolError) -> T {
        do { return try database.write(body) } catch { throw Journal.error(path: journal.path, what, error) }
    }

    private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(SpoolError) -> T {
        do { return try database.read(body) } catch { throw Journal.error(path: journal.path, what, error) }
    }

    static func tags(_ stored: String?) -> [String] {
        (stored ?? "").split(separator: "\n").map(String.init)
    }

    // MARK: Subscriptions

    /// Adds `url` (due at once) or, when already subscribed, sets its interval and tags; true when new.
    @discardableResult
    public func subscribe(url: String, intervalSeconds: Double, tags: [String], now: Date = Date()) throws(SpoolError)
        -> Bool {
        try write("subscribe \(url)") { db in
            let t = now.timeIntervalSince1970
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM sources WHERE url = ?", arguments: [url]) ?? false
            if exists {
                // A shorter interval takes effect now, not after the old, longer wait.
                try db.execute(sql: """
                    UPDATE sources SET intervalSeconds = ?, tags = ?,
                        nextPoll = CASE WHEN failures = 0 THEN MIN(nextPoll, COALESCE(lastPolled, ?) + ?) ELSE nextPoll END
                    WHERE url = ?
                    """, arguments: [intervalSeconds, tags.joined(separator: "\n"), t, intervalSeconds, url])
            } else {
                try db.execute(sql: """
                    INSERT INTO sources (url, intervalSeconds, tags, nextPoll, addedAt) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [url, intervalSeconds, tags.joined(separator: "\n"), t, t])
            }
            return !exists
        }
    }

    /// Adds every source of `list` not yet subscribed (an OPML import), in one transaction; sources
    /// already there are left as they are. Returns how many were added.
    public func subscribeNew(_ list: [(url: String, tags: [String])], intervalSeconds: Double,
                             now: Date = Date()) throws(SpoolError) -> Int {
        try write("import sources") { db in
            let t = now.timeIntervalSince1970
            var added = 0
            for (url, tags) in list {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO sources (url, intervalSeconds, tags, nextPoll, addedAt) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [url, intervalSeconds, tags.joined(separator: "\n"), t, t])
                added += db.changesCount
            }
            return added
        }
    }

    /// Removes `url` and what it offered; false when it was not subscribed.
    public func unsubscribe(url: String) throws(SpoolError) -> Bool {
        try write("unsubscribe \(url)") { db in
            try db.execute(sql: "DELETE FROM sources WHERE url = ?", arguments: [url])
            let removed = db.changesCount > 0
            try db.execute(sql: "DELETE FROM source_entries WHERE source = ?", arguments: [url])
            return removed
        }
    }

    /// Every source, by URL.
    public func all() throws(SpoolError) -> [Source] {
        try read("list sources") { db in try Source.fetchAll(db, sql: "SELECT * FROM sources ORDER BY url") }
    }

    /// One source, nil when not subscribed.
    public func source(_ url: String) throws(SpoolError) -> Source? {
        try read("read source") { db in try Source.fetchOne(db, sql: "SELECT * FROM sources WHERE url = ?", arguments: [url]) }
    }

    /// Up to `limit` sources due at `now`, the longest waiting first.
    public func due(now: Date, limit: Int) throws(SpoolError) -> [Source] {
        try read("due sources") { db in
            try Source.fetchAll(db, sql: "SELECT * FROM sources WHERE nextPoll <= ? ORDER BY nextPoll, url LIMIT ?",
                                arguments: [now.timeIntervalSince1970, max(0, limit)])
        }
    }

    /// When the next source is due, nil when there is none.
    public func nextPollTime() throws(SpoolError) -> Date? {
        try read("next poll") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(nextPoll) FROM sources").map { Date(timeIntervalSince1970: $0) }
        }
    }

    // MARK: Entries

    /// How `entry` stands for `source`: new (neither its id nor its URL recorded), changed (a newer
    /// `lastmod` than recorded), or seen.
    public func freshness(of entries: [Entry], source: String) throws(SpoolError) -> [Freshness] {
        try read("look up entries") { db in
            let byId = try db.cachedStatement(sql: "SELECT lastmod FROM source_entries WHERE source = ? AND entryId = ?")
            let byURL = try db.cachedStatement(sql: "SELECT lastmod FROM source_entries WHERE source = ? AND url = ? LIMIT 1")
            return try entries.map { entry in
                let row = try Row.fetchOne(byId, arguments: [source, entry.id])
                    ?? Row.fetchOne(byURL, arguments: [source, entry.url])
                guard let row else { return .new }
                let recorded: String? = row["lastmod"]
                return Self.isNewer(entry.lastmod, than: recorded) ? .changed : .seen
            }
        }
    }

    /// True when `lastmod` is later than `recorded` (a `lastmod` appearing where none was counts).
    static func isNewer(_ lastmod: String?, than recorded: String?) -> Bool {
        guard let lastmod else { return false }
        guard let recorded else { return true }
        if let a = date(lastmod), let b = date(recorded) { return a > b }
        return lastmod != recorded && lastmod > recorded
    }

    /// An ISO 8601 date or date-time (`2024-03-05`, `2024-03-05T10:00:00Z`, with fractions or an offset).
    static func date(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: .iso8601) { return d }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        if text.count == 10, let d = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return d }
        return nil
    }

    // MARK: Polls

    /// A poll whose entries are in the inbox (or that had none new): records `present` as seen (with
    /// their `lastmod`), resets the failures, and schedules the next poll, in one transaction.
    /// `validators` is nil after a 304 (the remembered ones stay).
    public func polled(_ url: String, present: [Entry], validators: (etag: String?, lastModified: String?)?,
                       now: Date = Date()) throws(SpoolError) {
        try write("record poll of \(url)") { db in
            let t = now.timeIntervalSince1970
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO source_entries (source, entryId, url, lastmod, firstSeen, lastSeen) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(source, entryId) DO UPDATE SET url = excluded.url,
                    lastmod = COALESCE(excluded.lastmod, lastmod), lastSeen = excluded.lastSeen
                """)
            for entry in present {
                try upsert.execute(arguments: [url, entry.id, entry.url, entry.lastmod, t, t])
            }
            if let validators {
                try db.execute(sql: """
                    UPDATE sources SET etag = ?, lastModified = ?, lastChanged = ? WHERE url = ?
                    """, arguments: [validators.etag, validators.lastModified, t, url])
            }
            try db.execute(sql: """
                UPDATE sources SET failures = 0, lastError = NULL, lastPolled = ?, nextPoll = ? + intervalSeconds
                WHERE url = ?
                """, arguments: [t, t, url])
            try db.execute(sql: "DELETE FROM source_entries WHERE source = ? AND lastSeen < ?",
                           arguments: [url, t - Self.entryRetentionSeconds])
        }
    }

    /// A failed poll: counts it, keeps `error`, and makes the source due again after `backoff(failures)`
    /// seconds (the failures counted so far, this one included); returns that count.
    @discardableResult
    public func failed(_ url: String, error: String, now: Date = Date(),
                       backoff: (Int) -> Double) throws(SpoolError) -> Int {
        try write("record failed poll of \(url)") { db in
            let t = now.timeIntervalSince1970
            guard let failures = try Int.fetchOne(db, sql: "SELECT failures FROM sources WHERE url = ?",
                                                  arguments: [url]) else { return 0 }
            let count = failures + 1
            try db.execute(sql: """
                UPDATE sources SET failures = ?, lastError = ?, lastPolled = ?, nextPoll = ? WHERE url = ?
                """, arguments: [count, error, t, t + backoff(count), url])
            return count
        }
    }
}

extension SourceStore {
    /// Why `url` cannot be subscribed, nil when it can: an absolute http or https URL with a host,
    /// without spaces or control characters.
    public static func urlProblem(_ url: String) -> String? {
        if url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            return "'\(url)' must not contain spaces or control characters"
        }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "'\(url)' is not an absolute http or https URL"
        }
        guard scheme == "http" || scheme == "https" else {
            return "'\(url)' is a \(scheme) URL; only http and https sources can be subscribed"
        }
        guard let host = parts.host, !host.isEmpty else { return "'\(url)' names no host" }
        return nil
    }
}
