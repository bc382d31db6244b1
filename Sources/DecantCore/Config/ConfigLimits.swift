/// The allowed range of every numeric configuration key, by key path (README and docs/service.md
/// list the same ranges). A value outside its range is refused with the key path, so no setting
/// can overflow a timer or a counter further down.
public enum ConfigLimits {
    /// Inclusive bounds of one numeric key.
    public struct Limit: Sendable, Equatable {
        public var min: Double
        public var max: Double
        /// Whole numbers only (counts, bytes, milliseconds).
        public var integer: Bool

        /// The range as the docs write it, e.g. `1–1024` or `0.001–86400`.
        public var text: String { "\(Self.format(min))–\(Self.format(max))" }

        package static func format(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }

    package static func integer(_ range: ClosedRange<Double>) -> Limit { Limit(min: range.lowerBound, max: range.upperBound, integer: true) }
    package static func real(_ range: ClosedRange<Double>) -> Limit { Limit(min: range.lowerBound, max: range.upperBound, integer: false) }

    /// The range of a numeric key: `table`'s, or `siteTable`'s for a `sites.<host>.<key>` path.
    package static func limit(_ path: [any CodingKey]) -> Limit? {
        if path.count == 3, path[0].stringValue == "sites" { return siteTable[path[2].stringValue] }
        return table[joinedKeyPath(path)]
    }

    /// Every numeric key of a site rule (`sites.<host>.<key>`) and its range.
    public static let siteTable: [String: Limit] = [
        "perHostDelayMs": integer(0...3_600_000),
    ]

    /// Every numeric key of `pipeline.json` and its range.
    public static let table: [String: Limit] = [
        "schedule.intervalSeconds": real(0.01...86_400),
        "fetch.concurrency": integer(1...1024),
        "fetch.perHostConcurrency": integer(1...1024),
        "fetch.perHostDelayMs": integer(0...3_600_000),
        "fetch.connectTimeoutSeconds": real(0.001...3600),
        "fetch.timeoutSeconds": real(0.001...86_400),
        "fetch.lowSpeedBytesPerSecond": integer(0...1_000_000_000),
        "fetch.lowSpeedSeconds": real(0.001...3600),
        "fetch.maxRedirects": integer(0...50),
        "fetch.maxBodyBytes": integer(1...1_000_000_000),
        "fetch.retries": integer(0...100),
        "fetch.retryBaseDelayMs": integer(0...3_600_000),
        "fetch.retryMaxDelayMs": integer(0...3_600_000),
        "fetch.robotsCacheHours": real(0.001...24),
        "clean.maxPageBytes": integer(1...1_000_000_000),
        "clean.timeBudgetSeconds": real(0.001...3600),
        "output.warcMaxBytes": integer(4096...1_000_000_000_000),
        "queue.maxAttempts": integer(1...1000),
        "queue.backoffBaseSeconds": real(0...2_592_000),
        "queue.backoffMaxSeconds": real(0...2_592_000),
        "queue.duplicateWindowHours": real(0...87_600),
        "queue.stableSeconds": real(0...86_400),
        "queue.shutdownGraceSeconds": real(0...3600),
        "queue.leaseSeconds": real(1...86_400),
        "queue.postgres.poolSize": integer(1...100),
        "output.webhook.timeoutSeconds": real(0.001...3600),
        "output.webhook.maxAttempts": integer(1...1000),
        // subscribe (issue 12): recurring sources.
        "sources.defaultIntervalSeconds": real(60...2_592_000),
        "sources.backoffBaseSeconds": real(1...2_592_000),
        "sources.backoffMaxSeconds": real(1...2_592_000),
        "sources.pollsPerPass": integer(1...256),
        // expand (issue 12): feeds and sitemaps named in jobs, and polled ones.
        "sources.maxEntries": integer(1...1_000_000),
        "sources.maxBytes": integer(1024...1_000_000_000),
        "sources.sitemapDepth": integer(0...8),
    ]
}
