import Foundation
import DecantCore
import DecantSpool
import DecantPostgres

/// A cluster node's `status.json` and `decant.prom`: its own spool's folders, and the cluster as the
/// shared queue sees it (or why it could not be read) under "cluster".
package struct NodeStatus: Sendable {
    package var spool: SpoolStatus
    package var cluster: Result<ClusterStatus, QueueError>

    package init(spool: SpoolStatus, cluster: Result<ClusterStatus, QueueError>) {
        self.spool = spool
        self.cluster = cluster
    }

    /// `status.json`: the spool's object with "cluster" added.
    package var json: Data {
        let data = spool.jsonData()
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        switch cluster {
        case .success(let status): object["cluster"] = try? JSONSerialization.jsonObject(with: Delivery.json(status))
        case .failure(let error): object["cluster"] = ["error": error.description]
        }
        guard let merged = try? JSONSerialization.data(withJSONObject: object,
                                                       options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return data }
        return merged + Data("\n".utf8)
    }

    /// `decant.prom`: the spool's metrics, then the cluster's (`decant_cluster_up 0` when unreachable).
    package var prometheus: String {
        switch cluster {
        case .success(let status): spool.prometheus + status.prometheus
        case .failure: spool.prometheus + ClusterStatus.unreachablePrometheus
        }
    }

    /// Writes both files at the spool's top, atomically (as the single-host service does).
    package func write(to layout: SpoolLayout) {
        try? AtomicFile.write(json, to: layout.statusFile, tempDirectory: layout.tmp, durable: false)
        try? AtomicFile.write(Data(prometheus.utf8), to: layout.promFile, tempDirectory: layout.tmp, durable: false)
    }
}
