import Foundation
import DecantCore
import DecantSpool

extension ClusterStatus {
    /// The cluster in Prometheus textfile-collector format, appended to a node's `decant.prom`.
    public var prometheus: String {
        var out = "# HELP decant_cluster_up 1 when the shared queue answered the node's last status read.\n"
        out += "# TYPE decant_cluster_up gauge\ndecant_cluster_up 1\n"
        out += "# HELP decant_cluster_urls URLs in the shared queue per state.\n# TYPE decant_cluster_urls gauge\n"
        for state in ["pending", "inflight", "deferred", "delivered", "failed"] {
            out += "decant_cluster_urls{state=\"\(state)\"} \(urls[state] ?? 0)\n"
        }
        out += "# HELP decant_cluster_nodes Nodes known to the shared queue.\n# TYPE decant_cluster_nodes gauge\n"
        out += "decant_cluster_nodes \(nodes.count)\n"
        out += "# HELP decant_cluster_node_heartbeat_age_seconds Seconds since each node's last heartbeat.\n"
        out += "# TYPE decant_cluster_node_heartbeat_age_seconds gauge\n"
        for node in nodes {
            let age = max(0, generatedAt.timeIntervalSince(node.heartbeat))
            out += "decant_cluster_node_heartbeat_age_seconds{node=\"\(SpoolStatus.label(node.name))\"} \(SaturatingTime.int(age))\n"
        }
        out += "# HELP decant_cluster_node_in_flight URLs each node holds a lease on.\n"
        out += "# TYPE decant_cluster_node_in_flight gauge\n"
        for node in nodes { out += "decant_cluster_node_in_flight{node=\"\(SpoolStatus.label(node.name))\"} \(node.inFlight)\n" }
        out += "# HELP decant_cluster_node_outcomes Outcomes each node recorded in the status window (window_seconds).\n"
        out += "# TYPE decant_cluster_node_outcomes gauge\n"
        for node in nodes {
            let name = SpoolStatus.label(node.name), window = SaturatingTime.int(windowSeconds)
            for (outcome, n) in [("delivered", node.delivered), ("deferred", node.deferred), ("failed", node.failed)] {
                out += "decant_cluster_node_outcomes{node=\"\(name)\",outcome=\"\(outcome)\",window_seconds=\"\(window)\"} \(n)\n"
            }
        }
        out += "# HELP decant_cluster_throttled_hosts Hosts with requests under way or a start not yet allowed.\n"
        out += "# TYPE decant_cluster_throttled_hosts gauge\ndecant_cluster_throttled_hosts \(throttledHosts.count)\n"
        return out
    }

    /// The lines of a node's `decant.prom` when the shared queue did not answer.
    public static let unreachablePrometheus = """
        # HELP decant_cluster_up 1 when the shared queue answered the node's last status read.
        # TYPE decant_cluster_up gauge
        decant_cluster_up 0

        """
}
