import Foundation

/// The whole typed configuration of a Decant pipeline, as read from pipeline.json.
///
/// Every key is optional in the file; what a file leaves out keeps its default.
/// Unknown keys and values of the wrong type are rejected with their key path.
public struct PipelineConfig: Sendable, Equatable, Codable {
    /// The spool folder, relative to the configuration file's folder unless absolute.
    public var spool: String = "spool"
    public var schedule = ScheduleConfig()
    public var fetch = FetchConfig()
    public var clean = CleanConfig()
    public var output = OutputConfig()
    public var queue = QueueConfig()
    /// This process as a cluster member (issue 11; docs/cluster.md).
    public var node = NodeConfig()
    // site-rules (issue 12): per-site extraction and fetch rules.
    /// Rules by host; copied into `fetch.sites` and `clean.sites` at load, so fetchers and extractors built from those sections apply them.
    public var sites = SiteRules() {
        didSet { fetch.sites = sites; clean.sites = sites }
    }
    // subscribe (issue 12): recurring sources.
    public var sources = SourcesConfig()

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case spool, schedule, fetch, clean, output, queue, sites
        case node, sources
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PipelineConfig()
        spool = try c.value(.spool, or: d.spool)
        schedule = try c.value(.schedule, or: d.schedule)
        fetch = try c.value(.fetch, or: d.fetch)
        clean = try c.value(.clean, or: d.clean)
        output = try c.value(.output, or: d.output)
        queue = try c.value(.queue, or: d.queue)
        sites = try c.value(.sites, or: d.sites)
        node = try c.value(.node, or: d.node)
        sources = try c.value(.sources, or: d.sources)
        fetch.sites = sites
        clean.sites = sites
        if spool.isEmpty { throw ConfigError.invalidValue(keyPath: "spool", reason: "must not be empty") }
    }
}

/// When the service looks at the spool.
public struct ScheduleConfig: Sendable, Equatable, Codable {
    /// Seconds between full rescans of the inbox (new files are also noticed at once where inotify works).
    public var intervalSeconds: Double = 30

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable { case intervalSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intervalSeconds = try c.number(.intervalSeconds, or: 30)
    }
}

/// How pages are fetched: concurrency, politeness, limits and safety.
public struct FetchConfig: Sendable, Equatable, Codable {
    public var concurrency = 32
    public var perHostConcurrency = 4
    public var perHostDelayMs = 250
    public var connectTimeoutSeconds: Double = 10
    public var timeoutSeconds: Double = 30
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedSeconds` is aborted.
    public var lowSpeedBytesPerSecond = 100
    public var lowSpeedSeconds: Double = 10
    public var maxRedirects = 5
    public var maxBodyBytes = 20_000_000
    /// Immediate retries of a temporary failure within one fetch (the spool defers beyond these).
    public var retries = 3
    public var retryBaseDelayMs = 500
    public var retryMaxDelayMs = 30_000
    public var userAgent = "Decant/0.1 (+https://github.com/decant/decant)"
    public var obeyRobots = true
    public var robotsCacheHours: Double = 24
    public var allowPrivateNetworks = false
    public var allowFileUrls = false
    /// SQLite file remembering ETag/Last-Modified per URL; relative to the spool. Empty disables it.
    public var validatorsDatabase = "validators.sqlite"
    /// The top-level `sites` rules (their `userAgent`, `perHostDelayMs` and `cookies`), not a key of `fetch`.
    public var sites = SiteRules()

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case concurrency, perHostConcurrency, perHostDelayMs, connectTimeoutSeconds, timeoutSeconds
        case lowSpeedBytesPerSecond, lowSpeedSeconds, maxRedirects, maxBodyBytes, retries
        case retryBaseDelayMs, retryMaxDelayMs, userAgent, obeyRobots, robotsCacheHours
        case allowPrivateNetworks, allowFileUrls, validatorsDatabase
    }

    /// Why `path` cannot name the validators database, nil when it can: it must be a relative
    /// path inside the spool (or empty, which disables the store).
    package static func validatorsPathProblem(_ path: String) -> String? {
        if path.isEmpty { return nil }
        if path.hasPrefix("/") { return "must be a path inside the spool, not an absolute path" }
        if path.hasSuffix("/") { return "must name a file, not a folder" }
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            return "must be a path inside the spool (no '..', '.' or empty parts)"
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "must not contain control characters"
        }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FetchConfig()
        concurrency = try c.integer(.concurrency, or: d.concurrency)
        perHostConcurrency = try c.integer(.perHostConcurrency, or: d.perHostConcurrency)
        perHostDelayMs = try c.integer(.perHostDelayMs, or: d.perHostDelayMs)
        connectTimeoutSeconds = try c.number(.connectTimeoutSeconds, or: d.connectTimeoutSeconds)
        timeoutSeconds = try c.number(.timeoutSeconds, or: d.timeoutSeconds)
        lowSpeedBytesPerSecond = try c.integer(.lowSpeedBytesPerSecond, or: d.lowSpeedBytesPerSecond)
        lowSpeedSeconds = try c.number(.lowSpeedSeconds, or: d.lowSpeedSeconds)
        maxRedirects = try c.integer(.maxRedirects, or: d.maxRedirects)
        maxBodyBytes = try c.integer(.maxBodyBytes, or: d.maxBodyBytes)
        retries = try c.integer(.retries, or: d.retries)
        retryBaseDelayMs = try c.integer(.retryBaseDelayMs, or: d.retryBaseDelayMs)
        retryMaxDelayMs = try c.integer(.retryMaxDelayMs, or: d.retryMaxDelayMs)
        userAgent = try c.value(.userAgent, or: d.userAgent)
        obeyRobots = try c.value(.obeyRobots, or: d.obeyRobots)
        robotsCacheHours = try c.number(.robotsCacheHours, or: d.robotsCacheHours)
        allowPrivateNetworks = try c.value(.allowPrivateNetworks, or: d.allowPrivateNetworks)
        allowFileUrls = try c.value(.allowFileUrls, or: d.allowFileUrls)
        validatorsDatabase = try c.value(.validatorsDatabase, or: d.validatorsDatabase)
        try require(retryMaxDelayMs >= retryBaseDelayMs, c, .retryMaxDelayMs, "must be at least fetch.retryBaseDelayMs")
        try require(!userAgent.isEmpty, c, .userAgent, "must not be empty")
        try require(!userAgent.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, c, .userAgent,
                    "must not contain control characters")
        if let problem = Self.validatorsPathProblem(validatorsDatabase) {
            throw ConfigError.invalidValue(keyPath: c.path(.validatorsDatabase), reason: problem)
        }
    }
}

/// What the cleaner keeps and how much it accepts.
public struct CleanConfig: Sendable, Equatable, Codable {
    /// Pages larger than this are refused before parsing.
    public var maxPageBytes = 50_000_000
    public var keepTables = true
    public var keepImages = true
    public var keepLinks = true
    /// Keep the reader comments the cleaner removes, apart from the text, in `Article.comments`.
    public var keepComments = false
    /// Seconds one page's extraction may take, in (0, 3600]; past it the page fails with a reason.
    public var timeBudgetSeconds: Double = 10
    /// The top-level `sites` rules (their XPaths), not a key of `clean`.
    public var sites = SiteRules()

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case maxPageBytes, keepTables, keepImages, keepLinks, keepComments, timeBudgetSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CleanConfig()
        maxPageBytes = try c.integer(.maxPageBytes, or: d.maxPageBytes)
        keepTables = try c.value(.keepTables, or: d.keepTables)
        keepImages = try c.value(.keepImages, or: d.keepImages)
        keepLinks = try c.value(.keepLinks, or: d.keepLinks)
        keepComments = try c.value(.keepComments, or: d.keepComments)
        timeBudgetSeconds = try c.number(.timeBudgetSeconds, or: d.timeBudgetSeconds)
    }
}

/// Which files the service writes per article.
public struct OutputConfig: Sendable, Equatable, Codable {
    public enum Format: String, Sendable, Codable, CaseIterable { case json, markdown, text }
    public var formats: [Format] = [.json, .markdown]
    /// Markdown files start with YAML front matter (title, author, published, url, tags, language).
    public var frontMatter = false
    // outputs-log (issue 13): the delivery log and the webhook.
    /// Appends one line per delivered article to `out/index.jsonl` (rotated daily).
    public var deliveryLog = false
    /// POSTs each delivered article's JSON through the journal's outbox, when set.
    public var webhook: WebhookConfig?
    // WARC out (docs/outputs.md "WARC out").
    /// Every fetched response (robots.txt included) is also stored as WARC records in `spool/warc/`.
    public var warc = false
    /// A WARC file is finished and renamed into place once it reaches this many bytes.
    public var warcMaxBytes = 1_000_000_000

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case formats, frontMatter, deliveryLog, webhook
        case warc, warcMaxBytes
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formats = try c.value(.formats, or: [.json, .markdown])
        frontMatter = try c.value(.frontMatter, or: false)
        deliveryLog = try c.value(.deliveryLog, or: false)
        if c.contains(.webhook) { webhook = try c.value(.webhook, or: WebhookConfig(url: "", secret: "")) }
        warc = try c.value(.warc, or: false)
        warcMaxBytes = try c.integer(.warcMaxBytes, or: 1_000_000_000)
        try require(formats.contains(.json), c, .formats, "must include \"json\"")
    }
}

/// How the spool queue retries, deduplicates and shuts down.
public struct QueueConfig: Sendable, Equatable, Codable {
    /// Attempts (fetch rounds) before a temporarily failing URL goes to failed/.
    public var maxAttempts = 5
    public var backoffBaseSeconds: Double = 60
    public var backoffMaxSeconds: Double = 6 * 3600
    /// A URL delivered within this many hours is not fetched again (0 disables).
    public var duplicateWindowHours: Double = 24
    /// A job file must be unchanged this long before it is claimed.
    public var stableSeconds: Double = 2
    /// After SIGTERM, in-flight pages get this long to finish.
    public var shutdownGraceSeconds: Double = 10
    // postgres (issue 11): the queue's engine, shared by the nodes of a cluster (docs/cluster.md).
    /// `sqlite` (the spool's journal, the default) or `postgres` (`postgres` below).
    public var backend = QueueBackend.sqlite
    /// The shared database, required with the `postgres` backend.
    public var postgres = PostgresQueueConfig()
    /// A leased URL returns to the queue after this long unless its node renews the lease.
    public var leaseSeconds: Double = 60

    public init() {}

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case maxAttempts, backoffBaseSeconds, backoffMaxSeconds, duplicateWindowHours
        case stableSeconds, shutdownGraceSeconds
        case backend, postgres, leaseSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = QueueConfig()
        maxAttempts = try c.integer(.maxAttempts, or: d.maxAttempts)
        backoffBaseSeconds = try c.number(.backoffBaseSeconds, or: d.backoffBaseSeconds)
        backoffMaxSeconds = try c.number(.backoffMaxSeconds, or: d.backoffMaxSeconds)
        duplicateWindowHours = try c.number(.duplicateWindowHours, or: d.duplicateWindowHours)
        stableSeconds = try c.number(.stableSeconds, or: d.stableSeconds)
        shutdownGraceSeconds = try c.number(.shutdownGraceSeconds, or: d.shutdownGraceSeconds)
        let backendName = try c.value(.backend, or: d.backend.rawValue)
        guard let backend = QueueBackend(rawValue: backendName) else {
            throw ConfigError.invalidValue(keyPath: c.path(.backend), reason: "must be \"sqlite\" or \"postgres\"")
        }
        self.backend = backend
        postgres = try c.value(.postgres, or: d.postgres)
        leaseSeconds = try c.number(.leaseSeconds, or: d.leaseSeconds)
        try require(backend != .postgres || postgres.url != nil, c, .postgres,
                    "needs a url with queue.backend \"postgres\"")
        try require(backoffMaxSeconds >= backoffBaseSeconds, c, .backoffMaxSeconds, "must be at least queue.backoffBaseSeconds")
    }
}

/// Throws `ConfigError.invalidValue` at `key`'s path unless `condition` holds.
package func require<K: CodingKey>(
    _ condition: Bool, _ container: KeyedDecodingContainer<K>, _ key: K, _ reason: String
) throws {
    if !condition {
        throw ConfigError.invalidValue(keyPath: joinedKeyPath(container.codingPath + [key]), reason: reason)
    }
}

extension PipelineConfig {
    /// The validators database's absolute path (inside the spool), nil when disabled.
    public var validatorsPath: String? {
        let name = fetch.validatorsDatabase
        return name.isEmpty ? nil : (spool as NSString).appendingPathComponent(name)
    }
}
