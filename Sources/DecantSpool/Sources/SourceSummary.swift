import Foundation

/// One recurring source as `decant sources` and the status show it (times in ISO 8601).
public struct SourceSummary: Codable, Sendable, Equatable {
    public var url: String
    /// `30m`, `2h`, `1d`.
    public var interval: String
    public var intervalSeconds: Double
    public var tags: [String]
    public var nextPoll: String
    /// Polls failed in a row; 0 when the last poll worked.
    public var failures: Int
    public var lastError: String?
    public var lastPolled: String?
    public var lastChanged: String?

    public init(_ source: SourceStore.Source) {
        url = source.url
        interval = PollInterval.format(source.intervalSeconds)
        intervalSeconds = source.intervalSeconds
        tags = source.tags
        nextPoll = Delivery.iso(source.nextPoll)
        failures = source.failures
        lastError = source.lastError
        lastPolled = source.lastPolled.map(Delivery.iso)
        lastChanged = source.lastChanged.map(Delivery.iso)
    }
}

/// The recurring sources in `decant status`, `status.json` and `decant.prom`: how many, how many
/// failing, and the failing ones (most failures first, at most `SourcesStatus.failingShown`).
public struct SourcesStatus: Codable, Sendable, Equatable {
    public var subscribed: Int
    public var failing: Int
    /// When the next source is due, nil without sources.
    public var nextPoll: String?
    public var failingSources: [SourceSummary]

    /// Failing sources listed at most.
    public static let failingShown = 20

    public init(subscribed: Int = 0, failing: Int = 0, nextPoll: String? = nil, failingSources: [SourceSummary] = []) {
        self.subscribed = subscribed
        self.failing = failing
        self.nextPoll = nextPoll
        self.failingSources = failingSources
    }
}

extension SourceStore {
    /// The status section: counts and the failing sources.
    public func status() throws(SpoolError) -> SourcesStatus {
        do {
            return try database.read { db in
                let subscribed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sources") ?? 0
                let failing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sources WHERE failures > 0") ?? 0
                let next = try Double.fetchOne(db, sql: "SELECT MIN(nextPoll) FROM sources")
                let worst = try Source.fetchAll(db, sql: """
                    SELECT * FROM sources WHERE failures > 0 ORDER BY failures DESC, url LIMIT ?
                    """, arguments: [SourcesStatus.failingShown])
                return SourcesStatus(subscribed: subscribed, failing: failing, nextPoll: next.map(Delivery.iso),
                                     failingSources: worst.map(SourceSummary.init))
            }
        } catch {
            throw Journal.error(path: journal.path, "sources status", error)
        }
    }
}
