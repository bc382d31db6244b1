import Foundation
import DecantCore

/// A snapshot of a spool: files per folder, URLs per state, throughput, recent failures.
/// `decant status` prints it; the service writes it as `status.json` and `decant.prom` when it changed.
public struct SpoolStatus: Codable, Sendable, Equatable {
    public var generatedAt: String
    public var spool: String
    /// Files per folder (out/ counts articles, i.e. `.json` files).
    public var folders: [String: Int]
    /// URLs per journal state (pending, inflight, deferred, delivered, failed…).
    public var urls: [String: Int]
    /// Delivered pages per minute over the last 1, 5 and 15 minutes.
    public var pagesPerMinute: [String: Double]
    /// Final outcomes over the last 15 minutes.
    public var last15Minutes: [String: Int]
    public var recentFailures: [Journal.RecentFailure]
    /// The recurring sources: how many, and the failing ones with their failure count and last error.
    public var sources: SourcesStatus?

    /// Reads folders and the journal (which may be nil: no service has run on this spool yet).
    public static func collect(layout: SpoolLayout, journal: Journal?, now: Date = Date()) -> SpoolStatus {
        var folders: [String: Int] = [:]
        for (name, path) in [("inbox", layout.inbox), ("tmp", layout.tmp), ("work", layout.work),
                             ("out", layout.out), ("deferred", layout.deferred), ("failed", layout.failed)] {
            switch name {
            case "out", "deferred", "failed":
                // Articles; waiting URLs; failed URLs, bad lines and bad job files (one .json each).
                folders[name] = SpoolLayout.count(in: path) { $0.hasSuffix(".json") }
            case "tmp":
                // Files being written are hidden (dot) names.
                folders[name] = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                    .filter { $0 != ".gitkeep" }.count
            default:
                folders[name] = SpoolLayout.count(in: path)
            }
        }
        var urls: [String: Int] = [:]
        var rates: [String: Double] = ["1m": 0, "5m": 0, "15m": 0]
        var last15: [String: Int] = [:]
        var failures: [Journal.RecentFailure] = []
        if let journal {
            urls = Dictionary(uniqueKeysWithValues: ((try? journal.counts()) ?? [:]).map { ($0.key.rawValue, $0.value) })
            for (label, minutes) in [("1m", 1.0), ("5m", 5.0), ("15m", 15.0)] {
                let events = (try? journal.events(since: minutes * 60, now: now)) ?? [:]
                rates[label] = (Double(events["delivered"] ?? 0) / minutes * 10).rounded() / 10
                if minutes == 15 { last15 = events }
            }
            failures = (try? journal.recentFailures(limit: 10)) ?? []
        }
        return SpoolStatus(generatedAt: now.formatted(.iso8601), spool: layout.root, folders: folders, urls: urls,
                           pagesPerMinute: rates, last15Minutes: last15, recentFailures: failures,
                           sources: journal.flatMap { try? SourceStore(journal: $0).status() })
    }

    public func jsonData() -> Data { Delivery.json(self) }

    /// The human-readable form of `decant status`; text from job files and servers has its control
    /// characters escaped, so it cannot forge lines or move the terminal's cursor.
    public var text: String {
        var lines = ["spool \(TextEscaping.escaped(spool)) at \(generatedAt)"]
        let order = ["inbox", "tmp", "work", "out", "deferred", "failed"]
        lines.append("folders: " + order.map { "\($0) \(folders[$0] ?? 0)" }.joined(separator: ", "))
        let states = ["pending", "inflight", "delivering", "deferred", "delivered", "failed"]
        lines.append("urls: " + states.map { "\($0) \(urls[$0] ?? 0)" }.joined(separator: ", "))
        lines.append(String(format: "pages/min: %.1f (1 min), %.1f (5 min), %.1f (15 min)",
                            pagesPerMinute["1m"] ?? 0, pagesPerMinute["5m"] ?? 0, pagesPerMinute["15m"] ?? 0))
        if recentFailures.isEmpty {
            lines.append("recent failures: none")
        } else {
            lines.append("recent failures:")
            for f in recentFailures {
                lines.append("  \(Delivery.iso(f.time))  \(TextEscaping.escaped(f.url))  \(TextEscaping.escaped(f.reason))")
            }
        }
        if let sources, sources.subscribed > 0 {
            lines.append("sources: \(sources.subscribed) subscribed, \(sources.failing) failing"
                         + (sources.nextPoll.map { ", next poll \($0)" } ?? ""))
            for s in sources.failingSources {
                lines.append("  \(TextEscaping.escaped(s.url))  \(s.failures) failure\(s.failures == 1 ? "" : "s"), next poll \(s.nextPoll)"
                             + (s.lastError.map { ": \(TextEscaping.escaped($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Prometheus textfile-collector format.
    public var prometheus: String {
        var out = """
            # HELP decant_spool_files Files in each spool folder.
            # TYPE decant_spool_files gauge

            """
        for (k, v) in folders.sorted(by: { $0.key < $1.key }) { out += "decant_spool_files{folder=\"\(k)\"} \(v)\n" }
        out += "# HELP decant_urls URLs in the journal per state.\n# TYPE decant_urls gauge\n"
        for (k, v) in urls.sorted(by: { $0.key < $1.key }) { out += "decant_urls{state=\"\(k)\"} \(v)\n" }
        out += "# HELP decant_pages_per_minute Delivered pages per minute over a window.\n"
        out += "# TYPE decant_pages_per_minute gauge\n"
        for (k, v) in pagesPerMinute.sorted(by: { $0.key < $1.key }) { out += "decant_pages_per_minute{window=\"\(k)\"} \(v)\n" }
        out += "# HELP decant_outcomes_15m Outcomes in the last 15 minutes.\n# TYPE decant_outcomes_15m gauge\n"
        for kind in ["delivered", "deferred", "failed"] { out += "decant_outcomes_15m{outcome=\"\(kind)\"} \(last15Minutes[kind] ?? 0)\n" }
        if let sources {
            out += "# HELP decant_sources Recurring sources subscribed, and those whose last poll failed.\n"
            out += "# TYPE decant_sources gauge\n"
            out += "decant_sources{state=\"subscribed\"} \(sources.subscribed)\n"
            out += "decant_sources{state=\"failing\"} \(sources.failing)\n"
            out += "# HELP decant_source_failures Polls failed in a row, per failing source.\n"
            out += "# TYPE decant_source_failures gauge\n"
            for s in sources.failingSources {
                out += "decant_source_failures{url=\"\(Self.label(s.url))\"} \(s.failures)\n"
            }
        }
        out += "# HELP decant_status_time_seconds When this file was written.\n# TYPE decant_status_time_seconds gauge\n"
        let t = (try? Date(generatedAt, strategy: .iso8601))?.timeIntervalSince1970 ?? 0
        out += "decant_status_time_seconds \(SaturatingTime.int(t))\n"
        return out
    }

    /// A Prometheus label value: backslash, quote and newline escaped.
    package static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Writes `status.json` and `decant.prom` at the spool's top, atomically.
    public func write(to layout: SpoolLayout) {
        try? AtomicFile.write(jsonData(), to: layout.statusFile, tempDirectory: layout.tmp, durable: false)
        try? AtomicFile.write(Data(prometheus.utf8), to: layout.promFile, tempDirectory: layout.tmp, durable: false)
    }
}
