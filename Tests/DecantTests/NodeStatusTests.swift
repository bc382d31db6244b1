import Foundation
import Testing
import DecantCore
@testable import DecantSpool
@testable import DecantPostgres
import DecantCluster
import DecantTestSupport

/// A cluster node's status.json and decant.prom: its spool's folders and the cluster's status.
struct NodeStatusTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func spool() -> SpoolStatus {
        SpoolStatus(generatedAt: t0.formatted(.iso8601), spool: "/srv/spool", folders: ["inbox": 1, "out": 3], urls: [:],
                    pagesPerMinute: ["1m": 0, "5m": 0, "15m": 0], last15Minutes: [:], recentFailures: [], sources: nil)
    }

    @Test func theClusterMetricsFollowTheSpoolsWithEscapedNodeNames() throws {
        let node = ClusterStatus.Node(name: "rack \"7\"", startedAt: t0, heartbeat: t0.addingTimeInterval(-12), inFlight: 4,
                                      delivered: 30, deferred: 2, failed: 1)
        let cluster = ClusterStatus(database: "postgres://decant@db:5432/decant", generatedAt: t0, windowSeconds: 300,
                                    urls: ["pending": 9, "delivered": 30], nodes: [node],
                                    throttledHosts: [ThrottledHost(host: "https://a.test", inFlight: 2, nextStart: t0)])
        let status = NodeStatus(spool: spool(), cluster: .success(cluster))
        let prom = status.prometheus
        #expect(prom.hasPrefix(spool().prometheus), "the spool's metrics first")
        for line in ["decant_cluster_up 1", "decant_cluster_urls{state=\"pending\"} 9", "decant_cluster_urls{state=\"inflight\"} 0",
                     "decant_cluster_nodes 1", "decant_cluster_node_heartbeat_age_seconds{node=\"rack \\\"7\\\"\"} 12",
                     "decant_cluster_node_in_flight{node=\"rack \\\"7\\\"\"} 4",
                     "decant_cluster_node_outcomes{node=\"rack \\\"7\\\"\",outcome=\"delivered\",window_seconds=\"300\"} 30",
                     "decant_cluster_throttled_hosts 1"] {
            #expect(prom.contains(line + "\n"), "\(line)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: status.json) as? [String: Any])
        let shared = try #require(object["cluster"] as? [String: Any])
        #expect((shared["urls"] as? [String: Int])?["pending"] == 9)
        #expect((object["folders"] as? [String: Int])?["out"] == 3)
    }

    @Test func anUnreachableDatabaseIsSaidInBothFiles() throws {
        let status = NodeStatus(spool: spool(), cluster: .failure(.unavailable(operation: "cluster status", message: "connection refused")))
        #expect(status.prometheus.contains("decant_cluster_up 0\n"))
        #expect(!status.prometheus.contains("decant_cluster_urls"))
        let object = try #require(try JSONSerialization.jsonObject(with: status.json) as? [String: Any])
        let error = try #require((object["cluster"] as? [String: String])?["error"])
        #expect(error.contains("connection refused"), "\(error)")
    }
}
