import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The service's start-up job: brings the spool back to a consistent state after whatever
/// happened to the last run (a crash, `kill -9`, a power cut), idempotently.
struct SpoolRecovery {
    let layout: SpoolLayout
    let journal: Journal
    let delivery: Delivery
    let ingest: JobIngest
    let logger: Logger
    /// The delivery log and webhook: a delivery completed here queues their line and row too.
    var outputs: DeliveryOutputs? = nil

    /// Sweeps dead writers' temp files, returns in-flight URLs to the queue, completes interrupted
    /// deliveries, rewrites missing deferred/failed records, drops stale deferred/ files, prunes the
    /// journal and reloads the claimed job files.
    func run(windowHours: Double) throws(SpoolError) {
        layout.sweepTmp(olderThan: 3600)
        let outputs = self.outputs
        let recovery = try journal.recover(articleExists: delivery.articleExists) { url, id in
            outputs?.completion(url: url, articleId: id)
        }
        if let log = outputs?.log { try log.sync() } else { try journal.dropLogLines() }
        var settled = 0
        while true {
            let rows = try journal.unsettled(limit: 500)
            if rows.isEmpty { break }
            for row in rows {
                let record = Delivery.URLRecord(
                    url: row.url, status: row.status, error: row.error, attempts: row.attempts,
                    firstSeen: Delivery.iso(row.firstSeen), lastTry: Delivery.iso(row.updatedAt),
                    nextTry: row.state == .deferred ? Delivery.iso(row.nextTry) : nil,
                    failedAt: row.state == .failed ? Delivery.iso(row.updatedAt) : nil)
                if row.state == .failed {
                    try delivery.writeFailed(record)
                    delivery.removeDeferred(url: row.url)
                } else {
                    try delivery.writeDeferred(record)
                }
                try journal.settled(url: row.url)
                settled += 1
            }
        }
        // deferred/ mirrors the journal: drop files of URLs that have since been delivered or failed.
        for name in SpoolLayout.visibleNames(in: layout.deferred) where name.hasSuffix(".json") {
            let path = "\(layout.deferred)/\(name)"
            guard let data = FileManager.default.contents(atPath: path),
                  let record = try? JSONDecoder().decode(Delivery.URLRecord.self, from: data) else { continue }
            let state = try journal.state(of: record.url)
            if state?.isDone ?? true { unlink(path) }
        }
        try journal.prune(windowHours: windowHours)
        try ingest.refresh()
        if recovery.requeued + recovery.delivered + settled > 0 {
            logger.notice("recovered after an interrupted run: \(recovery.requeued) URL(s) back in the queue, \(recovery.delivered) delivery(ies) completed, \(settled) deferred/failed record(s) rewritten")
        }
    }
}
