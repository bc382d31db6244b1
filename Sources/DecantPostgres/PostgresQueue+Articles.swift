import Foundation
import DecantCore
import DecantSpool
import PostgresNIO

extension PostgresQueue {
    /// Delivers `article` for `lease`: the URL becomes `delivered`, the article's row is inserted and
    /// announced on `PostgresSchema.articlesChannel`, all in one statement that changes nothing (and
    /// throws `leaseLost`) unless this node still holds the lease. Returns the article's `seq`.
    ///
    /// Deliveries commit one at a time (`articlesLock`): without it, one drawing seq 10 could commit
    /// after another's 11 was read, and a reader at 11 would never see 10.
    @discardableResult
    public func deliver(_ lease: QueueLease, article: SharedArticle, status: Int, now: Date) async throws(QueueError) -> Int64 {
        let t = now.timeIntervalSince1970, node = self.node, logger = self.logger
        let seqs: [Int64] = try await run("deliver article") {
            try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.articlesLock))", logger: logger)
            return try await connection.query("""
                WITH u AS (
                    UPDATE urls SET state = 'delivered', status = \(Int32(status)), error = NULL, updated_at = \(t),
                        done_at = \(t), article_id = \(article.id), leased_by = NULL, lease_token = NULL,
                        lease_until = NULL
                    WHERE url = \(lease.url) AND lease_token = \(lease.token) AND state = 'inflight'
                    RETURNING url),
                a AS (
                    INSERT INTO articles (id, url, fingerprint, json, markdown, text, node, delivered_at)
                    SELECT \(article.id), \(article.url), \(article.fingerprint), \(article.json), \(article.markdown),
                        \(article.text), \(node), \(t) FROM u
                    RETURNING seq),
                e AS (INSERT INTO events (time, kind, node) SELECT \(t), 'delivered', \(node) FROM u)
                SELECT a.seq FROM a, LATERAL (SELECT pg_notify(\(PostgresSchema.articlesChannel), a.seq::text)) AS n
                """, logger: logger).decode(Int64.self).array()
            }
        }
        guard let seq = seqs.first else { throw .leaseLost(url: lease.url) }
        return seq
    }

    /// Up to `limit` articles delivered after `seq`, oldest first.
    public func articles(after seq: Int64, limit: Int) async throws(QueueError) -> [SharedArticle] {
        try await run("read articles") {
            var articles: [SharedArticle] = []
            let rows = try await client.query("""
                SELECT seq, id, url, fingerprint, json, markdown, text, node, delivered_at FROM articles
                WHERE seq > \(seq) ORDER BY seq LIMIT \(Int64(max(1, limit)))
                """, logger: logger)
            for try await (seq, id, url, fingerprint, json, markdown, text, node, at)
                in rows.decode((Int64, String, String, String, String, String?, String?, String, Double).self) {
                articles.append(SharedArticle(seq: seq, id: id, url: url, fingerprint: fingerprint, json: json,
                                              markdown: markdown, text: text, node: node,
                                              deliveredAt: Date(timeIntervalSince1970: at)))
            }
            return articles
        }
    }

    /// Waits on one connection until an article newer than `seq` is announced, or `seconds` pass
    /// (notifications sent while no one listened are caught by the caller's next read).
    /// Returns at once when such an article is already in the table.
    public func waitForArticle(after seq: Int64, seconds: Double) async throws(QueueError) {
        let channel = PostgresSchema.articlesChannel, logger = self.logger, client = self.client
        try await run("listen for articles", waiting: seconds) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            // Listening from here on: an article delivered before is found by this read.
                            let newest = try await connection.query("SELECT coalesce(max(seq), 0) FROM articles",
                                                                    logger: logger).decode(Int64.self).array().first ?? 0
                            guard newest <= seq else { return }
                            for try await notification in notifications {
                                if let announced = Int64(notification.payload), announced > seq { return }
                            }
                        }
                    }
                }
                group.addTask { try await Task.sleep(for: .seconds(seconds)) }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}
