import Foundation
import GRDB
import Synchronization
import DecantFetch

/// The spool's memory in SQLite (`state.sqlite`): how far each claimed job file has been read, and
/// the state of every URL. It is written in the same order as the files are renamed, so that after a
/// crash `recover` can tell what was finished and redo the rest, idempotently.
///
/// Each URL is in one `URLState`. A `deferred` or `failed` row with `settled = 0` still has to get
/// its file in deferred/ or failed/. Rows are read as records (`FetchableRecord`).
public final class Journal: Sendable {
    /// One claimed job file in work/ and how far it has been read.
    public struct JobRecord: Sendable, Equatable, Decodable, FetchableRecord {
        public var name: String
        public var offset: Int
        public var lines: Int
    }

    /// A URL handed out to be fetched.
    public struct Lease: Sendable, Equatable, FetchableRecord {
        public var url: String
        /// Fetch rounds already done (deferrals).
        public var attempts: Int
        /// The article delivered for this URL earlier, if any (kept across re-fetches for 304s).
        public var articleId: String?
        public var firstSeen: Double
        /// What the URL's newest job line asked for (tags, priority, formats, source, hints…).
        public var options: JobOptions

        public init(row: Row) throws {
            url = row["url"]
            attempts = row["attempts"]
            articleId = row["articleId"]
            firstSeen = row["firstSeen"]
            options = JobOptions(journalText: row["options"])
        }
    }

    /// The columns a `Lease` is read from.
    static let leaseColumns = "url, attempts, articleId, firstSeen, options"

    /// What became of the URLs of one ingested batch.
    public struct IngestResult: Sendable, Equatable {
        public var queued = 0
        /// Already queued or in flight: merged with the earlier line.
        public var merged = 0
        /// Delivered (or failed) within the duplicate window: not fetched again.
        public var recent = 0
        /// Failed rows that were queued again: their failed/ file is stale.
        public var requeuedFailedURLs: [String] = []
    }

    /// A row that still needs its deferred/ or failed/ file.
    public struct Unsettled: Sendable, Equatable, FetchableRecord {
        public var url: String
        public var state: URLState
        public var attempts: Int
        public var nextTry: Double
        public var status: Int
        public var error: String
        public var firstSeen: Double
        public var updatedAt: Double

        public init(row: Row) throws {
            url = row["url"]
            state = row["state"]
            attempts = row["attempts"]
            nextTry = row["nextTry"]
            status = row["status"]
            error = row["error"] ?? ""
            firstSeen = row["firstSeen"]
            updatedAt = row["updatedAt"]
        }
    }

    public struct RecentFailure: Sendable, Equatable, Codable, FetchableRecord {
        public var time: Double
        public var url: String
        public var reason: String
    }

    let database: DatabaseQueue
    public let path: String
    /// Queued URLs leased so far by this journal: every `agingPeriod`th is the oldest queued, whatever its priority.
    private let queuedLeases = Mutex(0)
    /// One queued lease in this many goes to the oldest queued URL (aging), so no priority starves.
    public static let agingPeriod = 8
    static let recentFailuresKept = 50
    static let eventRetentionSeconds: Double = 3600

    public init(path: String) throws(SpoolError) {
        self.path = path
        do {
            database = try SQLiteQueue.open(path: path, busyTimeoutSeconds: 10)
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS jobs (
                        name TEXT PRIMARY KEY NOT NULL, offset INTEGER NOT NULL, lines INTEGER NOT NULL,
                        claimedAt DOUBLE NOT NULL);
                    CREATE TABLE IF NOT EXISTS urls (
                        url TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                        nextTry DOUBLE NOT NULL DEFAULT 0, articleId TEXT, fingerprint TEXT, job TEXT,
                        line INTEGER, firstSeen DOUBLE NOT NULL, updatedAt DOUBLE NOT NULL, doneAt DOUBLE,
                        status INTEGER NOT NULL DEFAULT 0, error TEXT, settled INTEGER NOT NULL DEFAULT 1);
                    CREATE INDEX IF NOT EXISTS urls_state ON urls(state, nextTry);
                    CREATE INDEX IF NOT EXISTS urls_unsettled ON urls(settled) WHERE settled = 0;
                    CREATE INDEX IF NOT EXISTS urls_article ON urls(articleId) WHERE articleId IS NOT NULL;
                    CREATE TABLE IF NOT EXISTS fingerprints (
                        fingerprint TEXT PRIMARY KEY NOT NULL, articleId TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS events (time DOUBLE NOT NULL, kind TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS events_time ON events(time);
                    CREATE TABLE IF NOT EXISTS recentFailures (
                        time DOUBLE NOT NULL, url TEXT NOT NULL, reason TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS deliveryLog (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, articleId TEXT NOT NULL, url TEXT NOT NULL,
                        title TEXT NOT NULL, published TEXT, files TEXT NOT NULL, time DOUBLE NOT NULL);
                    CREATE TABLE IF NOT EXISTS outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, articleId TEXT NOT NULL, url TEXT NOT NULL,
                        body BLOB NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, nextTry DOUBLE NOT NULL DEFAULT 0,
                        status INTEGER NOT NULL DEFAULT 0, error TEXT, gaveUp INTEGER NOT NULL DEFAULT 0,
                        createdAt DOUBLE NOT NULL);
                    CREATE INDEX IF NOT EXISTS outbox_due ON outbox(nextTry);
                    """)
            }
            try Self.migrator.migrate(database)
        } catch {
            throw Self.error(path: path, "open", error)
        }
    }

    /// Changes to the tables above, as named migrations run once each in order: append new ones at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // subscribe (issue 12): recurring sources and the entries they offered.
        migrator.registerMigration("sources", migrate: SourceStore.createTables)
        // jsonl (issue 12): each URL's job options; queued URLs are leased by priority.
        migrator.registerMigration("jobOptions") { db in
            try db.execute(sql: """
                ALTER TABLE urls ADD COLUMN priority INTEGER NOT NULL DEFAULT 5;
                ALTER TABLE urls ADD COLUMN options TEXT;
                CREATE INDEX urls_priority ON urls(state, priority DESC);
                CREATE INDEX urls_queued_age ON urls(state);
                """)
        }
        return migrator
    }

    /// Opens an existing journal (for `decant status`, which only reads it), nil when there is none
    /// or it cannot be opened.
    public static func openIfPresent(_ path: String) -> Journal? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? Journal(path: path)
    }

    private func write<T>(_ what: String, _ body: (Database) throws -> T) throws(SpoolError) -> T {
        do { return try database.write(body) } catch { throw Self.error(path: path, what, error) }
    }

    private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(SpoolError) -> T {
        do { return try database.read(body) } catch { throw Self.error(path: path, what, error) }
    }

    /// A journal error keeping SQLite's primary result code (13 is a full disk).
    static func error(path: String, _ operation: String, _ error: any Error) -> SpoolError {
        if let e = error as? DatabaseError {
            // The extended code tells one I/O error from another (4874 = growing the WAL index failed).
            let extended = e.extendedResultCode.rawValue
            let detail = extended != e.resultCode.primaryResultCode.rawValue ? " (extended code \(extended))" : ""
            return .journal(path: path, operation: operation, resultCode: e.resultCode.primaryResultCode.rawValue,
                            message: (e.message ?? "\(e)") + detail)
        }
        return .journal(path: path, operation: operation, resultCode: 1, message: "\(error)")
    }

    // MARK: Recovery

    /// What `recover` found.
    public struct Recovery: Sendable, Equatable {
        public var requeued = 0
        public var delivered = 0
    }

    /// After a crash (or at every start): URLs in flight go back to the queue; a URL whose article was
    /// being renamed is delivered if `articleExists(id)` says the file made it, else queued again.
    public func recover(articleExists: (String) -> Bool) throws(SpoolError) -> Recovery {
        try recover(articleExists: articleExists, completion: { _, _ in nil })
    }

    /// `recover`, where a delivery completed here also gets the log line and outbox row that
    /// `completion(url, id)` describes (read back from out/), in the same transaction.
    public func recover(articleExists: (String) -> Bool,
                        completion: (String, String) -> Completion?) throws(SpoolError) -> Recovery {
        try write("recover") { db in
            var result = Recovery()
            let now = Date().timeIntervalSince1970
            let delivering = try Row.fetchAll(db, sql: "SELECT url, articleId FROM urls WHERE state = ?",
                                              arguments: [URLState.delivering])
            for row in delivering {
                let url: String = row["url"]
                let id: String? = row["articleId"]
                if let id, articleExists(id) {
                    try db.run(sql: "UPDATE urls SET state = ?, doneAt = ?, updatedAt = ? WHERE url = ?",
                               arguments: [URLState.delivered, now, now, url])
                    if let entry = completion(url, id) { try Self.record(entry, in: db) }
                    result.delivered += 1
                } else {
                    try db.run(sql: "UPDATE urls SET state = ?, updatedAt = ? WHERE url = ?",
                               arguments: [URLState.pending, now, url])
                    result.requeued += 1
                }
            }
            try db.run(sql: "UPDATE urls SET state = ?, updatedAt = ? WHERE state = ?",
                       arguments: [URLState.pending, now, URLState.inflight])
            result.requeued += db.changesCount
            return result
        }
    }

    /// Done rows are kept at least this long, whatever the duplicate window: a row maps a URL to its
    /// article, which is what lets a later `304 Not Modified` keep that article.
    static let minimumRetentionHours: Double = 24

    /// Drops delivered and failed rows older than the duplicate window (and at least a day), and old events.
    public func prune(windowHours: Double, now: Date = Date()) throws(SpoolError) {
        let t = now.timeIntervalSince1970
        let hours = max(windowHours, Self.minimumRetentionHours)
        try write("prune") { db in
            try db.run(sql: "DELETE FROM urls WHERE state IN (?, ?) AND settled = 1 AND doneAt < ?",
                       arguments: [URLState.delivered, URLState.failed, t - hours * 3600])
            try db.run(sql: "DELETE FROM events WHERE time < ?", arguments: [t - Self.eventRetentionSeconds])
        }
    }

    // MARK: Jobs

    public func jobs() throws(SpoolError) -> [JobRecord] {
        try read("list jobs") { db in
            try JobRecord.fetchAll(db, sql: "SELECT name, offset, lines FROM jobs ORDER BY claimedAt, name")
        }
    }

    /// Records a job file just claimed into work/ (nothing read yet).
    public func addJob(_ name: String) throws(SpoolError) {
        try write("add job") { db in
            try db.run(sql: "INSERT OR IGNORE INTO jobs (name, offset, lines, claimedAt) VALUES (?, 0, 0, ?)",
                           arguments: [name, Date().timeIntervalSince1970])
        }
    }

    public func removeJob(_ name: String) throws(SpoolError) {
        try write("remove job") { db in try db.run(sql: "DELETE FROM jobs WHERE name = ?", arguments: [name]) }
    }

    /// Queues a batch of URLs read from `job` and moves its read position, in one transaction.
    ///
    /// A URL already queued or in flight is merged; one delivered or failed within `windowHours`
    /// is not fetched again; an older one is queued again.
    public func ingest(job: String, urls: [(url: String, line: Int)], offset: Int, lines: Int,
                       windowHours: Double, now: Date = Date()) throws(SpoolError) -> IngestResult {
        try ingest(job: job, urls: urls.map { ($0.url, $0.line, JobOptions()) }, offset: offset, lines: lines,
                   windowHours: windowHours, now: now)
    }

    /// `ingest` of URLs with their job options: a line's `recrawlHours` replaces `windowHours` for its
    /// URL, and a URL merged or queued again takes the newest line's options.
    public func ingest(job: String, urls: [(url: String, line: Int, options: JobOptions)], offset: Int, lines: Int,
                       windowHours: Double, now: Date = Date()) throws(SpoolError) -> IngestResult {
        let t = now.timeIntervalSince1970
        return try write("ingest \(job)") { db in
            var result = IngestResult()
            let find = try db.cachedStatement(sql: "SELECT state, doneAt FROM urls WHERE url = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO urls (url, state, job, line, firstSeen, updatedAt, priority, options)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (url, line, options) in urls {
                let row = try Row.fetchOne(find, arguments: [url])
                let priority = options.effectivePriority, text = options.journalText
                if let row {
                    let state: URLState = row["state"]
                    let doneAt: Double? = row["doneAt"]
                    if !state.isDone {
                        try db.run(sql: "UPDATE urls SET priority = ?, options = ? WHERE url = ?",
                                   arguments: [priority, text, url])
                        result.merged += 1
                        continue
                    }
                    let window = options.recrawlHours ?? windowHours
                    if let doneAt, t - doneAt < window * 3600 { result.recent += 1; continue }
                    if state == .failed { result.requeuedFailedURLs.append(url) }
                    try db.run(sql: """
                        UPDATE urls SET state = ?, attempts = 0, nextTry = 0, job = ?, line = ?,
                            firstSeen = ?, updatedAt = ?, doneAt = NULL, status = 0, error = NULL, settled = 1,
                            priority = ?, options = ?
                        WHERE url = ?
                        """, arguments: [URLState.pending, job, line, t, t, priority, text, url])
                } else {
                    try insert.execute(arguments: [url, URLState.pending, job, line, t, t, priority, text])
                }
                result.queued += 1
            }
            try db.run(sql: "UPDATE jobs SET offset = ?, lines = ? WHERE name = ?", arguments: [offset, lines, job])
            return result
        }
    }

    // MARK: URLs

    /// Hands out up to `limit` URLs that are due, marking them in flight: deferred URLs whose time
    /// came get up to half of the batch first, queued URLs the rest, and deferred ones any room left,
    /// so due retries never starve behind a long queue (nor a flood of retries stop new work).
    /// Queued URLs come by priority (higher first, then in queue order), except that every
    /// `agingPeriod`th queued lease is the oldest queued URL whatever its priority (aging).
    public func lease(limit: Int, now: Date = Date()) throws(SpoolError) -> [Lease] {
        guard limit > 0 else { return [] }
        let t = now.timeIntervalSince1970
        return try write("lease") { db in
            var leases: [Lease] = []
            func take(_ sql: String, _ arguments: StatementArguments) throws {
                for lease in try Lease.fetchAll(db, sql: sql, arguments: arguments) {
                    try db.run(sql: "UPDATE urls SET state = ?, updatedAt = ? WHERE url = ?",
                               arguments: [URLState.inflight, t, lease.url])
                    leases.append(lease)
                }
            }
            let due = """
                SELECT \(Self.leaseColumns) FROM urls
                WHERE state = ? AND nextTry <= ? AND settled = 1 ORDER BY nextTry LIMIT ?
                """
            try take(due, [URLState.deferred, t, max(1, limit / 2)])
            let room = limit - leases.count, before = leases.count
            let done = queuedLeases.withLock { $0 }
            let aged = Self.agedSlots(after: done, count: room)
            try take(Self.byPriority, [URLState.pending, room - aged])
            try take(Self.oldestQueued, [URLState.pending, limit - leases.count])
            let queued = leases.count - before
            queuedLeases.withLock { $0 += queued }
            if leases.count < limit { try take(due, [URLState.deferred, t, limit - leases.count]) }
            return leases
        }
    }

    /// Queued URLs, higher priority first, then in queue order (the `urls_priority` index).
    static let byPriority = "SELECT \(leaseColumns) FROM urls WHERE state = ? ORDER BY priority DESC, rowid LIMIT ?"
    /// Queued URLs in queue order, whatever their priority (the `urls_queued_age` index).
    static let oldestQueued = "SELECT \(leaseColumns) FROM urls WHERE state = ? ORDER BY rowid LIMIT ?"

    /// How many of the `count` queued leases after the first `done` are aging ones (every `agingPeriod`th).
    package static func agedSlots(after done: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return (done + count) / agingPeriod - done / agingPeriod
    }

    /// How SQLite runs `query` (the `detail` column of EXPLAIN QUERY PLAN), for checking index use.
    public func queryPlan(_ query: String, arguments: StatementArguments = StatementArguments()) throws(SpoolError) -> [String] {
        try read("query plan") { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query, arguments: arguments).map { $0["detail"] }
        }
    }

    /// What `beginDelivery` decided.
    public enum DeliveryStart: Sendable, Equatable {
        /// Go ahead; `duplicateOf` is the id of an earlier article with the same fingerprint, if any.
        case start(duplicateOf: String?)
        /// The id belongs to another URL's article (in the journal or in out/): not overwritten.
        case collision(otherURL: String)
    }

    /// Before an article is renamed into out/: checks that its id is not another URL's article
    /// (`owner(id)` reads the `url` of an existing out/ file), then records the id and claims the
    /// fingerprint. Runs in one transaction, so two pages in flight cannot both take one id.
    public func beginDelivery(url: String, articleId: String, fingerprint: String,
                              owner: (String) -> String? = { _ in nil }) throws(SpoolError) -> DeliveryStart {
        try write("begin delivery") { db in
            if let other = try String.fetchOne(db, sql: """
                SELECT url FROM urls WHERE articleId = ? AND url != ? AND state IN (?, ?) LIMIT 1
                """, arguments: [articleId, url, URLState.delivering, URLState.delivered]) {
                return .collision(otherURL: other)
            }
            if let other = owner(articleId), other != url { return .collision(otherURL: other) }
            var original: String?
            if !fingerprint.isEmpty {
                if let first = try String.fetchOne(db, sql: "SELECT articleId FROM fingerprints WHERE fingerprint = ?",
                                                   arguments: [fingerprint]) {
                    if first != articleId { original = first }
                } else {
                    try db.run(sql: "INSERT INTO fingerprints (fingerprint, articleId) VALUES (?, ?)",
                                   arguments: [fingerprint, articleId])
                }
            }
            try db.run(sql: """
                UPDATE urls SET state = ?, articleId = ?, fingerprint = ?, updatedAt = ? WHERE url = ?
                """, arguments: [URLState.delivering, articleId, fingerprint, Date().timeIntervalSince1970, url])
            return .start(duplicateOf: original)
        }
    }

    /// The article is in out/ (or, after a 304, the earlier one is still current).
    public func delivered(url: String, status: Int = 200) throws(SpoolError) {
        try finish(url: url, state: .delivered, kind: .delivered, status: status)
    }

    /// The article is in out/; its log line and webhook row (`completion`) are queued in the same transaction.
    public func delivered(url: String, status: Int, completion: Completion?) throws(SpoolError) {
        try finish(url: url, state: .delivered, kind: .delivered, status: status) { db in
            if let completion { try Self.record(completion, in: db) }
        }
    }

    /// A temporary failure: try again at `nextTry`. The row stays unsettled until its deferred/ file is written.
    public func deferred(url: String, attempts: Int, nextTry: Date, status: Int, error: String) throws(SpoolError) {
        try write("defer") { db in
            let t = Date().timeIntervalSince1970
            try db.run(sql: """
                UPDATE urls SET state = ?, attempts = ?, nextTry = ?, status = ?, error = ?, updatedAt = ?,
                    settled = 0 WHERE url = ?
                """, arguments: [URLState.deferred, attempts, nextTry.timeIntervalSince1970, status, error, t, url])
            try db.run(sql: "INSERT INTO events (time, kind) VALUES (?, ?)", arguments: [t, EventKind.deferred])
        }
    }

    /// A permanent failure. The row stays unsettled until its failed/ file is written.
    public func failed(url: String, attempts: Int, status: Int, error: String) throws(SpoolError) {
        try write("fail") { db in
            let t = Date().timeIntervalSince1970
            try db.run(sql: """
                UPDATE urls SET state = ?, attempts = ?, status = ?, error = ?, updatedAt = ?, doneAt = ?,
                    settled = 0 WHERE url = ?
                """, arguments: [URLState.failed, attempts, status, error, t, t, url])
            try db.run(sql: "INSERT INTO events (time, kind) VALUES (?, ?)", arguments: [t, EventKind.failed])
            try Self.remember(failure: url, reason: error, at: t, in: db)
        }
    }

    /// A job-file line or a whole job file that failed (not a URL row).
    public func recordFailure(_ what: String, reason: String) throws(SpoolError) {
        try write("record failure") { db in
            try Self.remember(failure: what, reason: reason, at: Date().timeIntervalSince1970, in: db)
        }
    }

    private static func remember(failure url: String, reason: String, at t: Double, in db: Database) throws {
        try db.run(sql: "INSERT INTO recentFailures (time, url, reason) VALUES (?, ?, ?)", arguments: [t, url, reason])
        try db.run(sql: """
            DELETE FROM recentFailures WHERE rowid NOT IN (SELECT rowid FROM recentFailures ORDER BY time DESC LIMIT ?)
            """, arguments: [recentFailuresKept])
    }

    /// A write that changes nothing in the end (a row added and removed): throws while the
    /// journal cannot be written, such as `SQLITE_FULL` on a full disk.
    public func probe() throws(SpoolError) {
        try write("probe") { db in
            try db.run(sql: "INSERT INTO events (time, kind) VALUES (0, ?)", arguments: [EventKind.probe])
            try db.run(sql: "DELETE FROM events WHERE time = 0 AND kind = ?", arguments: [EventKind.probe])
        }
    }

    /// The deferred/ or failed/ file of `url` is written.
    public func settled(url: String) throws(SpoolError) {
        try write("settle") { db in try db.run(sql: "UPDATE urls SET settled = 1 WHERE url = ?", arguments: [url]) }
    }

    /// Puts an in-flight URL back in the queue without counting an attempt (shutdown, cancellation).
    public func requeue(url: String) throws(SpoolError) {
        try write("requeue") { db in
            try db.run(sql: "UPDATE urls SET state = ?, updatedAt = ? WHERE url = ?",
                       arguments: [URLState.pending, Date().timeIntervalSince1970, url])
        }
    }

    private func finish(url: String, state: URLState, kind: EventKind, status: Int,
                        also: (Database) throws -> Void = { _ in }) throws(SpoolError) {
        try write("finish") { db in
            try also(db)
            let t = Date().timeIntervalSince1970
            try db.run(sql: """
                UPDATE urls SET state = ?, status = ?, error = NULL, updatedAt = ?, doneAt = ?, settled = 1 WHERE url = ?
                """, arguments: [state, status, t, t, url])
            try db.run(sql: "INSERT INTO events (time, kind) VALUES (?, ?)", arguments: [t, kind])
        }
    }

    /// Rows whose deferred/ or failed/ file has not been written yet (after a crash).
    public func unsettled(limit: Int = 1000) throws(SpoolError) -> [Unsettled] {
        try read("unsettled") { db in
            try Unsettled.fetchAll(db, sql: """
                SELECT url, state, attempts, nextTry, status, error, firstSeen, updatedAt FROM urls
                WHERE settled = 0 LIMIT ?
                """, arguments: [limit])
        }
    }

    /// The state of one URL, nil when unknown.
    public func state(of url: String) throws(SpoolError) -> URLState? {
        try read("state") { db in try URLState.fetchOne(db, sql: "SELECT state FROM urls WHERE url = ?", arguments: [url]) }
    }

    /// The number of URLs in each state.
    public func counts() throws(SpoolError) -> [URLState: Int] {
        try read("counts") { db in
            var counts: [URLState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM urls GROUP BY state") {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    /// URLs queued or in flight, counted up to `cap` (cheap even when the queue is long).
    public func activeCount(cap: Int) throws(SpoolError) -> Int {
        try read("active count") { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT 1 FROM urls WHERE state IN (?, ?, ?) LIMIT ?)
                """, arguments: [URLState.pending, URLState.inflight, URLState.delivering, cap]) ?? 0
        }
    }

    /// When the next deferred URL is due, if any waits.
    public func nextDeferredTime() throws(SpoolError) -> Date? {
        try read("next deferred") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(nextTry) FROM urls WHERE state = ?", arguments: [URLState.deferred])
                .map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Final outcomes (`delivered`, `failed`, `deferred`) in the last `seconds`.
    public func events(since seconds: Double, now: Date = Date()) throws(SpoolError) -> [String: Int] {
        try read("events") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM events WHERE time >= ? GROUP BY kind",
                                        arguments: [now.timeIntervalSince1970 - seconds]) {
                counts[row["kind"]] = row["n"]
            }
            return counts
        }
    }

    public func recentFailures(limit: Int = 10) throws(SpoolError) -> [RecentFailure] {
        try read("recent failures") { db in
            try RecentFailure.fetchAll(db, sql: "SELECT time, url, reason FROM recentFailures ORDER BY time DESC LIMIT ?",
                                       arguments: [limit])
        }
    }
}

// MARK: Delivery log and webhook outbox

extension Journal {
    /// What a finished delivery still owes its readers: a line in the delivery log, a webhook POST.
    public struct Completion: Sendable, Equatable {
        public var articleId: String
        public var url: String
        public var title: String
        public var published: String?
        /// The article's file names in out/ (`<id>.json` last).
        public var files: [String]
        /// When the article was delivered (seconds since 1970).
        public var time: Double
        /// Queue a line for `out/index.jsonl`.
        public var log: Bool
        /// The body to POST to the webhook (the article's JSON), nil without a webhook.
        public var webhookBody: Data?

        public init(articleId: String, url: String, title: String, published: String?, files: [String],
                    time: Double, log: Bool, webhookBody: Data?) {
            self.articleId = articleId
            self.url = url
            self.title = title
            self.published = published
            self.files = files
            self.time = time
            self.log = log
            self.webhookBody = webhookBody
        }
    }

    /// A line of the delivery log not yet known to be in the file.
    public struct LogLine: Sendable, Equatable, FetchableRecord {
        public var seq: Int
        public var articleId: String
        public var url: String
        public var title: String
        public var published: String?
        public var files: [String]
        public var time: Double

        public init(row: Row) throws {
            seq = row["seq"]
            articleId = row["articleId"]
            url = row["url"]
            title = row["title"]
            published = row["published"]
            files = (row["files"] as String).split(separator: "\n").map(String.init)
            time = row["time"]
        }
    }

    /// One article waiting to be POSTed to the webhook.
    public struct OutboxItem: Sendable, Equatable, FetchableRecord {
        public var id: Int
        public var articleId: String
        public var url: String
        public var body: Data
        /// POSTs already tried.
        public var attempts: Int
        public var status: Int
        public var error: String
        /// Given up: its failed/ record is still to be written.
        public var gaveUp: Bool
        public var createdAt: Double

        public init(row: Row) throws {
            id = row["id"]
            articleId = row["articleId"]
            url = row["url"]
            body = row["body"]
            attempts = row["attempts"]
            status = row["status"]
            error = row["error"] ?? ""
            gaveUp = row["gaveUp"]
            createdAt = row["createdAt"]
        }
    }

    fileprivate static func record(_ c: Completion, in db: Database) throws {
        if c.log {
            try db.run(sql: """
                INSERT INTO deliveryLog (articleId, url, title, published, files, time) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [c.articleId, c.url, c.title, c.published, c.files.joined(separator: "\n"), c.time])
        }
        if let body = c.webhookBody {
            try db.run(sql: "INSERT INTO outbox (articleId, url, body, createdAt) VALUES (?, ?, ?, ?)",
                       arguments: [c.articleId, c.url, body, c.time])
        }
    }

    /// Log lines queued and not yet confirmed in the file, oldest first, after `seq`.
    public func pendingLogLines(after seq: Int, limit: Int) throws(SpoolError) -> [LogLine] {
        try read("pending log lines") { db in
            try LogLine.fetchAll(db, sql: """
                SELECT seq, articleId, url, title, published, files, time FROM deliveryLog
                WHERE seq > ? ORDER BY seq LIMIT ?
                """, arguments: [seq, limit])
        }
    }

    /// The lines up to `seq` are in the log file (fsynced): forgets them.
    public func logged(through seq: Int) throws(SpoolError) {
        try write("mark logged") { db in try db.run(sql: "DELETE FROM deliveryLog WHERE seq <= ?", arguments: [seq]) }
    }

    /// Makes the next log sequence number larger than `seq` (the last one in the files), so that a
    /// journal replaced under an existing log never reuses numbers the log already holds.
    public func reserveLogSequence(after seq: Int) throws(SpoolError) {
        try write("log sequence") { db in
            let current = try Int.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'deliveryLog'")
            if let current {
                if current < seq {
                    try db.run(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'deliveryLog'", arguments: [seq])
                }
            } else if seq > 0 {
                try db.run(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('deliveryLog', ?)", arguments: [seq])
            }
        }
    }

    /// Drops queued log lines (the delivery log was turned off).
    public func dropLogLines() throws(SpoolError) {
        try write("drop log lines") { db in try db.run(sql: "DELETE FROM deliveryLog") }
    }

    /// The next webhook row due at `now` (given-up rows first), nil when none is.
    public func nextOutboxItem(now: Date = Date()) throws(SpoolError) -> OutboxItem? {
        try read("next outbox item") { db in
            try OutboxItem.fetchOne(db, sql: """
                SELECT id, articleId, url, body, attempts, status, error, gaveUp, createdAt FROM outbox
                WHERE nextTry <= ? ORDER BY gaveUp DESC, nextTry, id LIMIT 1
                """, arguments: [now.timeIntervalSince1970])
        }
    }

    /// When the earliest webhook row is due, nil when the outbox is empty.
    public func nextOutboxTime() throws(SpoolError) -> Date? {
        try read("next outbox time") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(nextTry) FROM outbox").map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Rows in the outbox.
    public func outboxCount() throws(SpoolError) -> Int {
        try read("outbox count") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
    }

    /// The receiver took the article: the row goes.
    public func outboxSent(_ id: Int) throws(SpoolError) {
        try write("outbox sent") { db in try db.run(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id]) }
    }

    /// A failed try: next one at `nextTry`, or (`gaveUp`) due at once for its failed/ record.
    public func outboxFailed(_ id: Int, attempts: Int, status: Int, error: String, nextTry: Date?) throws(SpoolError) {
        try write("outbox failed") { db in
            try db.run(sql: """
                UPDATE outbox SET attempts = ?, status = ?, error = ?, nextTry = ?, gaveUp = ? WHERE id = ?
                """, arguments: [attempts, status, error, nextTry?.timeIntervalSince1970 ?? 0, nextTry == nil, id])
        }
    }
}

extension Database {
    /// Runs one SQL statement through the connection's statement cache (the journal's hot paths
    /// repeat the same few statements for every URL).
    fileprivate func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
