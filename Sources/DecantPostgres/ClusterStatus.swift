import Foundation
import DecantCore
import DecantSpool

/// What `decant status` shows of a cluster: the shared queue's URLs per state and each node's
/// heartbeat, leases held and recent outcomes.
public struct ClusterStatus: Sendable, Equatable, Encodable {
    /// One node as the shared queue knows it.
    public struct Node: Sendable, Equatable, Encodable {
        public var name: String
        public var startedAt: Date
        public var heartbeat: Date
        /// URLs it holds a lease on now.
        public var inFlight: Int
        /// Outcomes it recorded within the status window (`windowSeconds`).
        public var delivered: Int
        public var deferred: Int
        public var failed: Int
    }

    /// The database, without any password.
    public var database: String
    public var generatedAt: Date
    /// The span `delivered`, `deferred` and `failed` count, in seconds.
    public var windowSeconds: Double
    public var urls: [String: Int]
    public var nodes: [Node]
    /// Hosts with requests under way or whose next start is not yet allowed (busiest first, 20 at most).
    public var throttledHosts: [ThrottledHost] = []

    /// The lines `decant status` prints under the spool's own; names from the database are escaped.
    public var text: String {
        let states = ["pending", "inflight", "deferred", "delivered", "failed"]
        var lines = ["cluster \(TextEscaping.escaped(database)): \(nodes.count) node(s)"]
        lines.append("cluster urls: " + states.map { "\($0) \(urls[$0] ?? 0)" }.joined(separator: ", "))
        let minutes = max(windowSeconds / 60, 1e-9)
        for node in nodes {
            let age = max(0, generatedAt.timeIntervalSince(node.heartbeat))
            lines.append("node \(TextEscaping.escaped(node.name)): " + String(
                format: "heartbeat %.0f s ago, %d in flight, %.1f delivered/min, %d deferred, %d failed (last %.0f min)",
                age, node.inFlight, Double(node.delivered) / minutes, node.deferred, node.failed, windowSeconds / 60))
        }
        for host in throttledHosts {
            let wait = max(0, host.nextStart.timeIntervalSince(generatedAt))
            lines.append("host \(TextEscaping.escaped(host.host)): " + String(format: "%d in flight, next start in %.1f s", host.inFlight, wait))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension PostgresQueue {
    /// The cluster as the shared queue sees it at `now`; outcomes are counted over the last `windowSeconds`.
    public func clusterStatus(now: Date = Date(), windowSeconds: Double = 300) async throws(QueueError) -> ClusterStatus {
        let since = now.timeIntervalSince1970 - windowSeconds
        let urls = try await counts()
        let hosts = try await throttledHosts(now: now)
        return try await run("cluster status") {
            var nodes: [ClusterStatus.Node] = []
            let rows = try await client.query("""
                SELECT n.name, n.started_at, n.heartbeat,
                    (SELECT count(*) FROM urls WHERE state = 'inflight' AND leased_by = n.name),
                    (SELECT count(*) FROM events WHERE node = n.name AND kind = 'delivered' AND time >= \(since)),
                    (SELECT count(*) FROM events WHERE node = n.name AND kind = 'deferred' AND time >= \(since)),
                    (SELECT count(*) FROM events WHERE node = n.name AND kind = 'failed' AND time >= \(since))
                FROM nodes n ORDER BY n.name
                """, logger: logger)
            for try await (name, started, heartbeat, inFlight, delivered, deferred, failed)
                in rows.decode((String, Double, Double, Int64, Int64, Int64, Int64).self) {
                nodes.append(.init(name: name, startedAt: Date(timeIntervalSince1970: started),
                                   heartbeat: Date(timeIntervalSince1970: heartbeat), inFlight: Int(inFlight),
                                   delivered: Int(delivered), deferred: Int(deferred), failed: Int(failed)))
            }
            return ClusterStatus(database: settings.description, generatedAt: now, windowSeconds: windowSeconds,
                                 urls: Dictionary(uniqueKeysWithValues: urls.map { ($0.key.rawValue, $0.value) }),
                                 nodes: nodes, throttledHosts: hosts)
        }
    }
}
