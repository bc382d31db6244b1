import Foundation
import DecantSpool
import PostgresNIO

extension PostgresQueue {
    /// Waits, for `seconds` at most, until work may be leasable: URLs queued or given back by any node
    /// (`NOTIFY` on `urlsChannel`), a deferred retry falling due or a lease expiring. Returns at once
    /// when a URL is queued already.
    public func waitForWork(seconds: Double, now: Date) async throws(QueueError) {
        let t = now.timeIntervalSince1970
        let channel = PostgresSchema.urlsChannel, logger = self.logger, client = self.client
        // Timers first: the earliest retry due or lease to expire (a node killed mid-fetch) ends the wait.
        let due = try await run("next due") {
            try await client.query("""
                SELECT least((SELECT min(next_try) FROM urls WHERE state = 'deferred'),
                             (SELECT min(lease_until) FROM urls WHERE state = 'inflight'))
                """, logger: logger).decode(Double?.self).array().first.flatMap { $0 }
        }
        let wait = min(seconds, max(0, (due ?? .infinity) - t))
        guard wait > 0 else { return }
        try await run("wait for work", waiting: wait) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            // Listening from here on: a URL queued before is found by this read.
                            let queued = try await connection.query(
                                "SELECT EXISTS (SELECT 1 FROM urls WHERE state = 'pending')", logger: logger)
                                .decode(Bool.self).array().first ?? false
                            guard !queued else { return }
                            for try await _ in notifications { return }
                        }
                    }
                }
                group.addTask { try await Task.sleep(for: .seconds(wait)) }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}
