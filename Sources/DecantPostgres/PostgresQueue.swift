import Foundation
import Synchronization
import Logging
import DecantCore
import DecantSpool
import PostgresNIO

/// The `postgres` backend: one queue shared by every node of a cluster. Nodes lease URLs with
/// `FOR UPDATE SKIP LOCKED`; a lease carries a token and expires `leaseSeconds` after it was taken
/// or last renewed, so the URLs of a node killed with `kill -9` go to the others. An outcome is
/// recorded only while the token still matches (no other node has leased the URL since).
public final class PostgresQueue: URLQueue {
    public let node: String
    public let leaseSeconds: Double
    public let settings: PostgresConnectionSettings
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    /// Queued URLs this node leased so far (for aging, as `Journal.agingPeriod` says).
    private let queuedLeases = Mutex(0)
    /// Seconds one operation may take (`operationSeconds` unless a test shortens it).
    let operationTimeout: Double
    public var backend: QueueBackend { .postgres }

    /// Connects (the pool runs in a task of its own) and migrates the schema; the node is recorded
    /// unless `registerNode` is false (a reader such as `decant collect` is no node of the cluster).
    public static func open(settings: PostgresConnectionSettings, node: String, leaseSeconds: Double,
                            logger: Logger, now: Date = Date(),
                            registerNode: Bool = true,
                            operationTimeout: Double = PostgresQueue.operationSeconds) async throws(QueueError) -> PostgresQueue {
        // One plain connection first: a refused login or a server that is down fails at once,
        // where the pool would keep retrying in the background.
        try await probe(settings, logger: logger)
        let queue = PostgresQueue(settings: settings, node: node, leaseSeconds: leaseSeconds, logger: logger,
                                  operationTimeout: operationTimeout)
        do {
            try await queue.migrate()
            if registerNode { try await queue.heartbeat(now: now) }
        } catch {
            await queue.close()
            throw error
        }
        return queue
    }

    /// Connects once and disconnects: throws what stops a connection (`unavailable`, or the server's refusal).
    public static func probe(_ settings: PostgresConnectionSettings, logger: Logger) async throws(QueueError) {
        do {
            let tls: PostgresConnection.Configuration.TLS = switch settings.sslMode {
            case "disable": .disable
            case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var configuration = PostgresConnection.Configuration(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                database: settings.database, tls: tls)
            configuration.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw Self.error("connect to \(settings)", error)
        }
    }

    private init(settings: PostgresConnectionSettings, node: String, leaseSeconds: Double, logger: Logger,
                 operationTimeout: Double) {
        self.operationTimeout = operationTimeout
        self.settings = settings
        self.node = node
        self.leaseSeconds = leaseSeconds
        self.logger = logger
        let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    public func close() async {
        runner.cancel()
        await runner.value
    }

    // MARK: Errors

    /// A queue error for what postgres-nio threw during `operation`.
    static func error(_ operation: String, _ error: any Error) -> QueueError {
        if let e = error as? QueueError { return e }
        if let e = error as? PostgresTransactionError {
            if let inner = e.closureError ?? e.beginError ?? e.commitError { return Self.error(operation, inner) }
        }
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let state = info[.sqlState] {
                return .database(operation: operation, sqlState: state, message: info[.message] ?? "")
            }
            let underlying = e.underlying.map { ": \($0)" } ?? ""
            return .unavailable(operation: operation, message: "\(e.code)\(underlying)")
        }
        return .unavailable(operation: operation, message: String(describing: error))
    }

    /// Longest wait for one operation: postgres-nio's pool waits for a connection for ever while the
    /// server is down, so without this bound a node would hang instead of backing off.
    public static let operationSeconds: Double = 30

    /// Runs `body`, the errors as `QueueError`; one that takes longer than `operationSeconds` (plus
    /// `waiting`, for an operation that waits on purpose) is cancelled and fails as `unavailable` (transient).
    @discardableResult
    func run<T: Sendable>(_ operation: String, waiting: Double = 0,
                          _ body: @Sendable () async throws -> T) async throws(QueueError) -> T {
        let seconds = operationTimeout + max(0, waiting)
        do {
            // The group awaits both children before it returns, so `body` does not outlive this call.
            return try await withoutActuallyEscaping(body) { body in try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                group.addTask { try await Task.sleep(for: .seconds(seconds)); return nil }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw QueueError.unavailable(operation: operation,
                                                 message: "no answer from the database within \(Int(seconds)) s")
                }
                return value
            } }
        } catch {
            throw Self.error(operation, error)
        }
    }

    // MARK: Schema

    /// Applies the migrations not yet in `schema_migrations`, under an advisory lock held for the
    /// transaction, so nodes starting at once apply each migration exactly once.
    public func migrate() async throws(QueueError) {
        let logger = self.logger, node = self.node
        let applied: [Int] = try await run("migrate") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, node TEXT NOT NULL,
                        applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
                var done = Set<Int>()
                for try await version in try await connection.query("SELECT version FROM schema_migrations",
                                                                    logger: logger).decode(Int.self) {
                    done.insert(version)
                }
                if let newest = done.max(), newest > PostgresSchema.migrations.last?.version ?? 0 {
                    throw QueueError.migration(version: newest, message: "the database's schema is newer than this "
                                               + "decant knows (a newer version migrated it)")
                }
                var applied: [Int] = []
                for migration in PostgresSchema.migrations where !done.contains(migration.version) {
                    do {
                        for statement in migration.statements {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                    } catch {
                        throw QueueError.migration(version: migration.version, message: "\(Self.error("migrate", error))")
                    }
                    try await connection.query("""
                        INSERT INTO schema_migrations (version, name, node) VALUES (\(migration.version), \(migration.name), \(node))
                        """, logger: logger)
                    applied.append(migration.version)
                }
                return applied
            }
        }
        if !applied.isEmpty { logger.notice("queue schema migrated to version \(applied.last!) (\(settings))") }
    }

    /// The schema versions recorded in `schema_migrations`, oldest first.
    public func schemaVersions() async throws(QueueError) -> [Int] {
        try await run("schema versions") {
            try await client.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger)
                .decode(Int.self).array()
        }
    }

    /// Records that this node is alive (`nodes.heartbeat`).
    public func heartbeat(now: Date) async throws(QueueError) {
        let t = now.timeIntervalSince1970
        try await run("heartbeat") {
            try await client.query("""
                INSERT INTO nodes (name, started_at, heartbeat) VALUES (\(node), \(t), \(t))
                ON CONFLICT (name) DO UPDATE SET heartbeat = EXCLUDED.heartbeat
                """, logger: logger)
        }
    }

    // MARK: URLQueue

    public func recover(now: Date) async throws(QueueError) -> Int {
        let t = now.timeIntervalSince1970
        return try await run("recover") {
            let n = try await client.query("""
                UPDATE urls SET state = 'pending', leased_by = NULL, lease_token = NULL, lease_until = NULL,
                    updated_at = \(t)
                WHERE state = 'inflight' AND leased_by = \(node) RETURNING url
                """, logger: logger).collect().count
            if n > 0 { try await client.query("SELECT pg_notify(\(PostgresSchema.urlsChannel), '')", logger: logger) }
            return n
        }
    }

    public func enqueue(job: String, urls: [(url: String, line: Int)], offset: Int, lines: Int, windowHours: Double,
                        now: Date) async throws(QueueError) -> Journal.IngestResult {
        try await enqueue(job: job, entries: urls.map { ($0.url, $0.line, JobOptions()) }, offset: offset, lines: lines,
                          windowHours: windowHours, now: now)
    }

    /// `enqueue` with each line's job options, as the journal's `ingest` takes them: a line's
    /// `recrawlHours` replaces `windowHours` for its URL, and a URL merged or queued again takes the
    /// newest line's options (and priority).
    public func enqueue(job: String, entries: [(url: String, line: Int, options: JobOptions)], offset: Int, lines: Int,
                        windowHours: Double, now: Date) async throws(QueueError) -> Journal.IngestResult {
        let t = now.timeIntervalSince1970
        let logger = self.logger, node = self.node
        // A URL listed twice in one batch is merged with its first line (taking the newest options).
        var position: [String: Int] = [:], batch: [(url: String, line: Int, options: JobOptions)] = [], repeats = 0
        for entry in entries {
            if let at = position[entry.url] { batch[at].options = entry.options; repeats += 1 } else {
                position[entry.url] = batch.count
                batch.append(entry)
            }
        }
        let names = batch.map(\.url), merged = repeats
        let optionsOf = Dictionary(uniqueKeysWithValues: batch.map { ($0.url, $0.options) })
        let lineOf = Dictionary(uniqueKeysWithValues: batch.map { ($0.url, Int64($0.line)) })
        return try await run("enqueue \(job)") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.enqueueLock))", logger: logger)
                var result = Journal.IngestResult.empty
                result.merged = merged
                var existing: [String: (state: String, doneAt: Double?)] = [:]
                let rows = try await connection.query("""
                    SELECT url, state, done_at FROM urls WHERE url = ANY(\(names)) FOR UPDATE
                    """, logger: logger)
                for try await (url, state, doneAt) in rows.decode((String, String, Double?).self) {
                    existing[url] = (state, doneAt)
                }
                var fresh: [String] = [], again: [String] = [], pendingMerged: [String] = []
                for url in names {
                    guard let row = existing[url] else { fresh.append(url); continue }
                    let state = URLState(rawValue: row.state)
                    guard state?.isDone == true else {
                        result.merged += 1
                        if state == .pending { pendingMerged.append(url) }
                        continue
                    }
                    let window = (optionsOf[url]?.recrawlHours ?? windowHours) * 3600
                    if let doneAt = row.doneAt, t - doneAt < window { result.recent += 1; continue }
                    if state == .failed { result.requeuedFailedURLs.append(url) }
                    again.append(url)
                }
                // Options as text, "" for none (postgres-nio binds no arrays of optionals): NULLIF below.
                func columns(_ urls: [String]) -> (lines: [Int64], priorities: [Int64], options: [String]) {
                    (urls.map { lineOf[$0] ?? 0 }, urls.map { Int64(optionsOf[$0]?.effectivePriority ?? JobOptions.defaultPriority) },
                     urls.map { optionsOf[$0]?.journalText ?? "" })
                }
                if !pendingMerged.isEmpty {
                    let c = columns(pendingMerged)
                    try await connection.query("""
                        UPDATE urls SET priority = l.priority, options = NULLIF(l.options, '')
                        FROM unnest(\(pendingMerged)::text[], \(c.priorities)::bigint[], \(c.options)::text[])
                            AS l(url, priority, options)
                        WHERE urls.url = l.url AND urls.state = 'pending'
                        """, logger: logger)
                }
                if !again.isEmpty {
                    let c = columns(again)
                    try await connection.query("""
                        UPDATE urls SET state = 'pending', attempts = 0, next_try = 0, job = \(job), line = l.line,
                            node = \(node), first_seen = \(t), updated_at = \(t), done_at = NULL, status = 0,
                            error = NULL, seq = nextval(pg_get_serial_sequence('urls', 'seq')),
                            priority = l.priority, options = NULLIF(l.options, '')
                        FROM unnest(\(again)::text[], \(c.lines)::bigint[], \(c.priorities)::bigint[], \(c.options)::text[])
                            AS l(url, line, priority, options) WHERE urls.url = l.url
                        """, logger: logger)
                    result.queued += again.count
                }
                if !fresh.isEmpty {
                    let c = columns(fresh)
                    // Another node may insert the same URL meanwhile: it is then merged, not queued twice.
                    let inserted = try await connection.query("""
                        INSERT INTO urls (url, state, job, line, node, first_seen, updated_at, priority, options)
                        SELECT l.url, 'pending', \(job), l.line, \(node), \(t), \(t), l.priority, NULLIF(l.options, '')
                        FROM unnest(\(fresh)::text[], \(c.lines)::bigint[], \(c.priorities)::bigint[], \(c.options)::text[])
                            WITH ORDINALITY AS l(url, line, priority, options, n)
                        ORDER BY l.n
                        ON CONFLICT (url) DO NOTHING RETURNING url
                        """, logger: logger).collect().count
                    result.queued += inserted
                    result.merged += fresh.count - inserted
                }
                try await connection.query("""
                    UPDATE jobs SET byte_offset = \(Int64(offset)), lines = \(Int64(lines))
                    WHERE node = \(node) AND name = \(job)
                    """, logger: logger)
                if result.queued > 0 {  // sent at commit: wakes idle nodes (`waitForWork`)
                    try await connection.query("SELECT pg_notify(\(PostgresSchema.urlsChannel), '')", logger: logger)
                }
                return result
            }
        }
    }

    public func jobs() async throws(QueueError) -> [Journal.JobRecord] {
        try await run("list jobs") {
            var jobs: [Journal.JobRecord] = []
            let rows = try await client.query("""
                SELECT name, byte_offset, lines FROM jobs WHERE node = \(node) ORDER BY claimed_at, name
                """, logger: logger)
            for try await (name, offset, lines) in rows.decode((String, Int64, Int64).self) {
                jobs.append(Journal.JobRecord(job: name, readTo: Int(offset), lines: Int(lines)))
            }
            return jobs
        }
    }

    public func addJob(_ name: String) async throws(QueueError) {
        let t = Date().timeIntervalSince1970
        try await run("add job") {
            try await client.query("""
                INSERT INTO jobs (node, name, byte_offset, lines, claimed_at) VALUES (\(node), \(name), 0, 0, \(t))
                ON CONFLICT (node, name) DO NOTHING
                """, logger: logger)
        }
    }

    public func removeJob(_ name: String) async throws(QueueError) {
        try await run("remove job") {
            try await client.query("DELETE FROM jobs WHERE node = \(node) AND name = \(name)", logger: logger)
        }
    }

    public func lease(limit: Int, now: Date) async throws(QueueError) -> [QueueLease] {
        guard limit > 0 else { return [] }
        let t = now.timeIntervalSince1970, until = t + leaseSeconds, token = UUID().uuidString
        let half = Int64(max(1, limit / 2)), all = Int64(limit), node = self.node
        // Aging, as the journal does: every `agingPeriod`th queued lease of this node is the oldest
        // queued URL whatever its priority, so no priority starves.
        let aged = Int64(Journal.agedSlots(after: queuedLeases.withLock { $0 }, count: limit))
        let (leases, queued): ([QueueLease], Int) = try await run("lease") {
            var leases: [(QueueLease, Int32)] = []
            let rest = all - aged
            // Due retries first (up to half), then expired leases, then queued URLs by priority; each
            // row locked by one node only, the others skip it.
            leases += try await take(token: token, query: """
                WITH due AS (
                    SELECT url FROM urls WHERE state = 'deferred' AND next_try <= \(t)
                    ORDER BY next_try LIMIT \(half) FOR UPDATE SKIP LOCKED),
                expired AS (
                    SELECT url, seq FROM urls WHERE state = 'inflight' AND lease_until <= \(t)
                    ORDER BY lease_until LIMIT \(rest) FOR UPDATE SKIP LOCKED),
                queued AS (
                    SELECT url, seq, priority FROM urls WHERE state = 'pending'
                    ORDER BY priority DESC, seq LIMIT \(rest) FOR UPDATE SKIP LOCKED),
                picked AS (
                    SELECT url, k FROM (
                        SELECT url, 0 AS k, 0 AS p, 0::bigint AS seq FROM due
                        UNION ALL SELECT url, 1, 0, seq FROM expired
                        UNION ALL SELECT url, 2, -priority, seq FROM queued) p
                    ORDER BY k, p, seq LIMIT \(rest))
                UPDATE urls u SET state = 'inflight', leased_by = \(node), lease_token = \(token),
                    lease_until = \(until), updated_at = \(t)
                FROM picked WHERE u.url = picked.url
                RETURNING u.url, u.attempts, u.article_id, u.first_seen, u.options, picked.k
                """)
            // The aging slots come after the batch's others, as in the journal.
            if aged > 0 {
                leases += try await take(token: token, query: """
                    WITH oldest AS (
                        SELECT url FROM urls WHERE state = 'pending' ORDER BY seq LIMIT \(min(aged, all - Int64(leases.count))) FOR UPDATE SKIP LOCKED)
                    UPDATE urls u SET state = 'inflight', leased_by = \(node), lease_token = \(token),
                        lease_until = \(until), updated_at = \(t)
                    FROM oldest WHERE u.url = oldest.url
                    RETURNING u.url, u.attempts, u.article_id, u.first_seen, u.options, 2::integer
                    """)
            }
            if leases.count < limit {
                leases += try await take(token: token, query: """
                    WITH due AS (
                        SELECT url FROM urls WHERE state = 'deferred' AND next_try <= \(t)
                        ORDER BY next_try LIMIT \(Int64(limit - leases.count)) FOR UPDATE SKIP LOCKED)
                    UPDATE urls u SET state = 'inflight', leased_by = \(node), lease_token = \(token),
                        lease_until = \(until), updated_at = \(t)
                    FROM due WHERE u.url = due.url
                    RETURNING u.url, u.attempts, u.article_id, u.first_seen, u.options, 0::integer
                    """)
            }
            return (leases.map(\.0), leases.filter { $0.1 == 2 }.count)
        }
        queuedLeases.withLock { $0 += queued }
        return leases
    }

    private func take(token: String, query: PostgresQuery) async throws -> [(QueueLease, Int32)] {
        var leases: [(QueueLease, Int32)] = []
        let rows = try await client.query(query, logger: logger)
        for try await (url, attempts, articleId, firstSeen, options, kind)
            in rows.decode((String, Int32, String?, Double, String?, Int32).self) {
            leases.append((QueueLease(url: url, attempts: Int(attempts), articleId: articleId, firstSeen: firstSeen,
                                      token: token, options: JobOptions(journalText: options)), kind))
        }
        return leases
    }

    public func renew(_ leases: [QueueLease], now: Date) async throws(QueueError) -> [String] {
        guard !leases.isEmpty else { return [] }
        let until = now.timeIntervalSince1970 + leaseSeconds
        let urls = leases.map(\.url), tokens = leases.map(\.token)
        let held: Set<String> = try await run("renew") {
            Set(try await client.query("""
                UPDATE urls SET lease_until = \(until)
                FROM unnest(\(urls)::text[], \(tokens)::text[]) AS l(url, token)
                WHERE urls.url = l.url AND urls.lease_token = l.token AND urls.state = 'inflight'
                RETURNING urls.url
                """, logger: logger).decode(String.self).array())
        }
        return urls.filter { !held.contains($0) }
    }

    /// Runs `update`, a statement on the lease's row returning a row when it changed it (with the
    /// event it counts, in the same statement); throws `leaseLost` when the row was not this lease's.
    private func finish(_ lease: QueueLease, _ operation: String, update: PostgresQuery) async throws(QueueError) {
        let changed = try await run(operation) { try await client.query(update, logger: logger).collect().count }
        guard changed > 0 else { throw .leaseLost(url: lease.url) }
    }

    public func delivered(_ lease: QueueLease, status: Int, now: Date) async throws(QueueError) {
        let t = now.timeIntervalSince1970
        try await finish(lease, "deliver", update: """
            WITH u AS (
                UPDATE urls SET state = 'delivered', status = \(Int32(status)), error = NULL, updated_at = \(t),
                    done_at = \(t), leased_by = NULL, lease_token = NULL, lease_until = NULL
                WHERE url = \(lease.url) AND lease_token = \(lease.token) AND state = 'inflight'
                RETURNING url)
            INSERT INTO events (time, kind, node) SELECT \(t), 'delivered', \(node) FROM u RETURNING 1
            """)
    }

    public func deferred(_ lease: QueueLease, attempts: Int, nextTry: Date, status: Int, error: String,
                         now: Date) async throws(QueueError) {
        let t = now.timeIntervalSince1970, next = nextTry.timeIntervalSince1970
        try await finish(lease, "defer", update: """
            WITH u AS (
                UPDATE urls SET state = 'deferred', attempts = \(Int32(attempts)), next_try = \(next),
                    status = \(Int32(status)), error = \(error), updated_at = \(t),
                    leased_by = NULL, lease_token = NULL, lease_until = NULL
                WHERE url = \(lease.url) AND lease_token = \(lease.token) AND state = 'inflight'
                RETURNING url)
            INSERT INTO events (time, kind, node) SELECT \(t), 'deferred', \(node) FROM u RETURNING 1
            """)
    }

    public func failed(_ lease: QueueLease, attempts: Int, status: Int, error: String,
                       now: Date) async throws(QueueError) {
        let t = now.timeIntervalSince1970
        try await finish(lease, "fail", update: """
            WITH u AS (
                UPDATE urls SET state = 'failed', attempts = \(Int32(attempts)), status = \(Int32(status)),
                    error = \(error), updated_at = \(t), done_at = \(t),
                    leased_by = NULL, lease_token = NULL, lease_until = NULL
                WHERE url = \(lease.url) AND lease_token = \(lease.token) AND state = 'inflight'
                RETURNING url)
            INSERT INTO events (time, kind, node) SELECT \(t), 'failed', \(node) FROM u RETURNING 1
            """)
    }

    /// Deferred and failed URLs have no files to wait for in the shared queue.
    public func settled(url: String) async throws(QueueError) {}

    public func requeue(_ lease: QueueLease, now: Date) async throws(QueueError) {
        let t = now.timeIntervalSince1970
        try await finish(lease, "requeue", update: """
            UPDATE urls SET state = 'pending', updated_at = \(t), leased_by = NULL, lease_token = NULL,
                lease_until = NULL
            WHERE url = \(lease.url) AND lease_token = \(lease.token) AND state = 'inflight' RETURNING url
            """)
        try await run("requeue") {
            try await client.query("SELECT pg_notify(\(PostgresSchema.urlsChannel), '')", logger: logger)
        }
    }

    public func state(of url: String) async throws(QueueError) -> URLState? {
        try await run("state") {
            try await client.query("SELECT state FROM urls WHERE url = \(url)", logger: logger)
                .decode(String.self).array().first.flatMap(URLState.init(rawValue:))
        }
    }

    public func counts() async throws(QueueError) -> [URLState: Int] {
        try await run("counts") {
            var counts: [URLState: Int] = [:]
            let rows = try await client.query("SELECT state, count(*) FROM urls GROUP BY state", logger: logger)
            for try await (state, n) in rows.decode((String, Int64).self) {
                if let state = URLState(rawValue: state) { counts[state] = Int(n) }
            }
            return counts
        }
    }

    public func activeCount(cap: Int) async throws(QueueError) -> Int {
        try await run("active count") {
            Int(try await client.query("""
                SELECT count(*) FROM (SELECT 1 FROM urls WHERE state IN ('pending', 'inflight', 'delivering')
                LIMIT \(Int64(cap))) t
                """, logger: logger).decode(Int64.self).array().first ?? 0)
        }
    }

    public func nextDeferredTime() async throws(QueueError) -> Date? {
        try await run("next deferred") {
            try await client.query("SELECT min(next_try) FROM urls WHERE state = 'deferred'", logger: logger)
                .decode(Double?.self).array().first.flatMap { $0 }.map { Date(timeIntervalSince1970: $0) }
        }
    }
}
