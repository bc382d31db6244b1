import Foundation
import DecantCore
import DecantSpool
import PostgresNIO

/// A host's answer to a node that wants to start a request there.
public enum HostReservation: Sendable, Equatable {
    /// Start now; give the slot back with `releaseHost(token:)` when the request ends.
    case granted(token: String)
    /// Every slot is taken, or the host's delay has not passed: ask again at `until` (or when a slot frees).
    case wait(until: Date)
}

/// robots.txt as one node fetched it for all.
public struct SharedRobots: Sendable, Equatable {
    public var status: Int
    public var body: Data
    public var expires: Date

    public init(status: Int, body: Data, expires: Date) {
        self.status = status
        self.body = body
        self.expires = expires
    }
}

/// A host being held back now, for `decant status`.
public struct ThrottledHost: Sendable, Equatable, Encodable {
    public var host: String
    public var inFlight: Int
    public var nextStart: Date
}

extension PostgresQueue {
    /// Asks for one of `limit` request slots on `host` for the whole cluster (`fetch.perHostConcurrency`),
    /// `delaySeconds` after the host's last start (`fetch.perHostDelayMs`), or the host's stored Crawl-delay if longer.
    /// A slot not given back expires after `slotSeconds` (a node killed mid-request). The host's row
    /// is locked for the decision, so nodes asking at once never exceed `limit` together.
    public func reserveHost(_ host: String, limit: Int, delaySeconds: Double, slotSeconds: Double,
                            now: Date) async throws(QueueError) -> HostReservation {
        let t = now.timeIntervalSince1970, node = self.node, logger = self.logger
        let token = UUID().uuidString, limit = Int64(max(1, limit))
        return try await run("reserve host") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("INSERT INTO hosts (host) VALUES (\(host)) ON CONFLICT DO NOTHING", logger: logger)
                let row = try await connection.query("SELECT next_start, crawl_delay FROM hosts WHERE host = \(host) FOR UPDATE",
                                                     logger: logger).decode((Double, Double).self).array().first
                let next = row?.0 ?? 0, delay = max(0, delaySeconds, row?.1 ?? 0)
                try await connection.query("DELETE FROM host_slots WHERE host = \(host) AND until <= \(t)", logger: logger)
                let slots = try await connection.query("SELECT until FROM host_slots WHERE host = \(host) ORDER BY until",
                                                       logger: logger).decode(Double.self).array()
                if Int64(slots.count) >= limit {
                    // Full: the earliest expiry bounds the wait; a release before it wakes no one, so
                    // callers also ask again when one of their own requests ends.
                    return .wait(until: Date(timeIntervalSince1970: max(next, slots[0])))
                }
                if next > t { return .wait(until: Date(timeIntervalSince1970: next)) }
                try await connection.query("""
                    INSERT INTO host_slots (token, host, node, until) VALUES (\(token), \(host), \(node), \(t + slotSeconds))
                    """, logger: logger)
                try await connection.query("UPDATE hosts SET next_start = \(t + delay) WHERE host = \(host)",
                                           logger: logger)
                return .granted(token: token)
            }
        }
    }

    /// Gives back a slot `reserveHost` granted (a no-op when it has expired meanwhile).
    public func releaseHost(token: String) async throws(QueueError) {
        try await run("release host") {
            try await client.query("DELETE FROM host_slots WHERE token = \(token)", logger: logger)
        }
    }

    /// Hosts with requests under way or a start not yet allowed at `now`, busiest first (at most `limit`).
    public func throttledHosts(now: Date, limit: Int = 20) async throws(QueueError) -> [ThrottledHost] {
        let t = now.timeIntervalSince1970
        return try await run("throttled hosts") {
            var hosts: [ThrottledHost] = []
            let rows = try await client.query("""
                SELECT h.host, (SELECT count(*) FROM host_slots s WHERE s.host = h.host AND s.until > \(t)) AS n,
                    h.next_start
                FROM hosts h
                WHERE h.next_start > \(t) OR EXISTS (SELECT 1 FROM host_slots s WHERE s.host = h.host AND s.until > \(t))
                ORDER BY n DESC, h.host LIMIT \(Int64(max(1, limit)))
                """, logger: logger)
            for try await (host, n, next) in rows.decode((String, Int64, Double).self) {
                hosts.append(ThrottledHost(host: host, inFlight: Int(n), nextStart: Date(timeIntervalSince1970: next)))
            }
            return hosts
        }
    }

    /// The robots.txt answer a node stored for `origin`, nil when none or expired at `now`.
    public func sharedRobots(for origin: String, now: Date) async throws(QueueError) -> SharedRobots? {
        try await run("read robots") {
            let rows = try await client.query("""
                SELECT status, body, expires_at FROM robots WHERE origin = \(origin) AND expires_at > \(now.timeIntervalSince1970)
                """, logger: logger)
            for try await (status, body, expires) in rows.decode((Int32, ByteBuffer, Double).self) {
                return SharedRobots(status: Int(status), body: Data(body.readableBytesView),
                                    expires: Date(timeIntervalSince1970: expires))
            }
            return nil
        }
    }

    /// Stores the robots.txt answer for `origin`, so that the other nodes do not fetch it again, and its
    /// Crawl-delay (seconds, 0 for none) with the host, so that `reserveHost` spaces the whole cluster's requests.
    public func storeRobots(_ robots: SharedRobots, crawlDelay: Double = 0, for origin: String,
                            now: Date) async throws(QueueError) {
        let body = ByteBuffer(bytes: robots.body), logger = self.logger
        try await run("store robots") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO hosts (host, crawl_delay) VALUES (\(origin), \(max(0, crawlDelay)))
                    ON CONFLICT (host) DO UPDATE SET crawl_delay = EXCLUDED.crawl_delay
                    """, logger: logger)
                try await connection.query("""
                    INSERT INTO robots (origin, status, body, fetched_at, expires_at)
                    VALUES (\(origin), \(Int32(robots.status)), \(body), \(now.timeIntervalSince1970), \(robots.expires.timeIntervalSince1970))
                    ON CONFLICT (origin) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body,
                        fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at
                    """, logger: logger)
            }
        }
    }
}
