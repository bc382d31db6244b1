/// The shared queue's schema as numbered migrations, applied in order by `PostgresQueue.migrate`
/// and recorded in `schema_migrations`. Append new ones; never edit one that has shipped.
public enum PostgresSchema {
    /// One schema change: its statements run in one transaction with its `schema_migrations` row.
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var statements: [String]
    }

    /// The advisory lock (`pg_advisory_xact_lock`) that serialises migrations of nodes starting at once.
    public static let migrationLock: Int64 = 0x6465_6361_6E74_0001

    /// The advisory lock that serialises enqueues: two nodes inserting overlapping batches in their own
    /// line orders would otherwise deadlock on the `urls` key (SQLSTATE 40P01).
    public static let enqueueLock: Int64 = 0x6465_6361_6E74_0002
    /// Held by each delivery from before its article's `seq` is drawn until it commits, so articles
    /// become visible in `seq` order and a reader's cursor never passes one still being committed.
    public static let articlesLock: Int64 = 0x6465_6361_6E74_0003

    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "queue", statements: [
            """
            CREATE TABLE nodes (
                name TEXT PRIMARY KEY, started_at DOUBLE PRECISION NOT NULL, heartbeat DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE jobs (
                node TEXT NOT NULL, name TEXT NOT NULL, byte_offset BIGINT NOT NULL DEFAULT 0,
                lines BIGINT NOT NULL DEFAULT 0, claimed_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (node, name))
            """,
            """
            CREATE TABLE urls (
                url TEXT PRIMARY KEY, seq BIGSERIAL NOT NULL, state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_try DOUBLE PRECISION NOT NULL DEFAULT 0,
                article_id TEXT, node TEXT, job TEXT, line BIGINT,
                first_seen DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL, done_at DOUBLE PRECISION,
                status INTEGER NOT NULL DEFAULT 0, error TEXT,
                leased_by TEXT, lease_token TEXT, lease_until DOUBLE PRECISION)
            """,
            "CREATE INDEX urls_pending ON urls (seq) WHERE state = 'pending'",
            "CREATE INDEX urls_deferred ON urls (next_try) WHERE state = 'deferred'",
            "CREATE INDEX urls_leased ON urls (lease_until) WHERE state = 'inflight'",
            "CREATE INDEX urls_leased_by ON urls (leased_by) WHERE state = 'inflight'",
            "CREATE TABLE events (time DOUBLE PRECISION NOT NULL, kind TEXT NOT NULL, node TEXT NOT NULL)",
            "CREATE INDEX events_time ON events (time)",
        ]),
        // One row per delivery, inserted with the URL's change to `delivered` in one statement that
        // checks the lease; `seq` orders them for `decant collect`'s cursor.
        Migration(version: 2, name: "articles", statements: [
            """
            CREATE TABLE articles (
                seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL, url TEXT NOT NULL, fingerprint TEXT NOT NULL,
                json TEXT NOT NULL, markdown TEXT, text TEXT, node TEXT NOT NULL,
                delivered_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX articles_id ON articles (id)",
        ]),
        // Politeness for the cluster as a whole: per host, the next allowed start and the slots held
        // (each with an expiry, so a node killed while fetching does not keep its slot); robots.txt
        // answers shared by every node.
        Migration(version: 3, name: "hosts", statements: [
            "CREATE TABLE hosts (host TEXT PRIMARY KEY, next_start DOUBLE PRECISION NOT NULL DEFAULT 0)",
            """
            CREATE TABLE host_slots (
                token TEXT PRIMARY KEY, host TEXT NOT NULL, node TEXT NOT NULL, until DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX host_slots_host ON host_slots (host)",
            """
            CREATE TABLE robots (
                origin TEXT PRIMARY KEY, status INTEGER NOT NULL, body BYTEA NOT NULL,
                fetched_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL)
            """,
        ]),
        // JSONL job options (tags, priority, formats, hints…): queued URLs are leased by priority.
        Migration(version: 4, name: "job options", statements: [
            "ALTER TABLE urls ADD COLUMN priority INTEGER NOT NULL DEFAULT 5, ADD COLUMN options TEXT",
            "CREATE INDEX urls_pending_priority ON urls (priority DESC, seq) WHERE state = 'pending'",
        ]),
        // robots.txt's Crawl-delay for the cluster: stored with the host by the node that fetched it.
        Migration(version: 5, name: "crawl delay", statements: [
            "ALTER TABLE hosts ADD COLUMN crawl_delay DOUBLE PRECISION NOT NULL DEFAULT 0",
        ]),
    ]

    /// The channel on which every delivered article is announced (`NOTIFY`, its `seq` as the payload).
    public static let articlesChannel = "decant_articles"
    /// The channel on which URLs queued or given back are announced (no payload), to wake idle nodes.
    public static let urlsChannel = "decant_urls"
}
