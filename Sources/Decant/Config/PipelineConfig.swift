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

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case spool, schedule, fetch, clean, output, queue
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
        if spool.isEmpty { throw ConfigError.invalidValue(keyPath: "spool", reason: "must not be empty") }
    }
}

/// When the service looks at the spool.
public struct ScheduleConfig: Sendable, Equatable, Codable {
    /// Seconds between full rescans of the inbox (new files are also noticed at once where inotify works).
    public var intervalSeconds: Double = 30

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case intervalSeconds }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intervalSeconds = try c.value(.intervalSeconds, or: 30)
        try require(intervalSeconds > 0, c, .intervalSeconds, "must be greater than 0")
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

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case concurrency, perHostConcurrency, perHostDelayMs, connectTimeoutSeconds, timeoutSeconds
        case lowSpeedBytesPerSecond, lowSpeedSeconds, maxRedirects, maxBodyBytes, retries
        case retryBaseDelayMs, retryMaxDelayMs, userAgent, obeyRobots, robotsCacheHours
        case allowPrivateNetworks, allowFileUrls, validatorsDatabase
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FetchConfig()
        concurrency = try c.value(.concurrency, or: d.concurrency)
        perHostConcurrency = try c.value(.perHostConcurrency, or: d.perHostConcurrency)
        perHostDelayMs = try c.value(.perHostDelayMs, or: d.perHostDelayMs)
        connectTimeoutSeconds = try c.value(.connectTimeoutSeconds, or: d.connectTimeoutSeconds)
        timeoutSeconds = try c.value(.timeoutSeconds, or: d.timeoutSeconds)
        lowSpeedBytesPerSecond = try c.value(.lowSpeedBytesPerSecond, or: d.lowSpeedBytesPerSecond)
        lowSpeedSeconds = try c.value(.lowSpeedSeconds, or: d.lowSpeedSeconds)
        maxRedirects = try c.value(.maxRedirects, or: d.maxRedirects)
        maxBodyBytes = try c.value(.maxBodyBytes, or: d.maxBodyBytes)
        retries = try c.value(.retries, or: d.retries)
        retryBaseDelayMs = try c.value(.retryBaseDelayMs, or: d.retryBaseDelayMs)
        retryMaxDelayMs = try c.value(.retryMaxDelayMs, or: d.retryMaxDelayMs)
        userAgent = try c.value(.userAgent, or: d.userAgent)
        obeyRobots = try c.value(.obeyRobots, or: d.obeyRobots)
        robotsCacheHours = try c.value(.robotsCacheHours, or: d.robotsCacheHours)
        allowPrivateNetworks = try c.value(.allowPrivateNetworks, or: d.allowPrivateNetworks)
        allowFileUrls = try c.value(.allowFileUrls, or: d.allowFileUrls)
        validatorsDatabase = try c.value(.validatorsDatabase, or: d.validatorsDatabase)
        try require(concurrency >= 1, c, .concurrency, "must be at least 1")
        try require(perHostConcurrency >= 1, c, .perHostConcurrency, "must be at least 1")
        try require(perHostDelayMs >= 0, c, .perHostDelayMs, "must not be negative")
        try require(connectTimeoutSeconds > 0, c, .connectTimeoutSeconds, "must be greater than 0")
        try require(timeoutSeconds > 0, c, .timeoutSeconds, "must be greater than 0")
        try require(lowSpeedBytesPerSecond >= 0, c, .lowSpeedBytesPerSecond, "must not be negative")
        try require(lowSpeedSeconds > 0, c, .lowSpeedSeconds, "must be greater than 0")
        try require(maxRedirects >= 0, c, .maxRedirects, "must not be negative")
        try require(maxBodyBytes >= 1, c, .maxBodyBytes, "must be at least 1")
        try require(retries >= 0, c, .retries, "must not be negative")
        try require(retryBaseDelayMs >= 0, c, .retryBaseDelayMs, "must not be negative")
        try require(retryMaxDelayMs >= retryBaseDelayMs, c, .retryMaxDelayMs, "must be at least retryBaseDelayMs")
        try require(!userAgent.isEmpty, c, .userAgent, "must not be empty")
        try require(robotsCacheHours > 0 && robotsCacheHours <= 24, c, .robotsCacheHours, "must be in (0, 24]")
    }
}

/// What the cleaner keeps and how much it accepts.
public struct CleanConfig: Sendable, Equatable, Codable {
    /// Pages larger than this are refused before parsing.
    public var maxPageBytes = 50_000_000
    public var keepTables = true
    public var keepImages = true
    public var keepLinks = true
    public var keepComments = false
    /// Seconds one page's extraction may take, in (0, 3600]; past it the page fails with a reason.
    public var timeBudgetSeconds: Double = 10

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxPageBytes, keepTables, keepImages, keepLinks, keepComments, timeBudgetSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CleanConfig()
        maxPageBytes = try c.value(.maxPageBytes, or: d.maxPageBytes)
        keepTables = try c.value(.keepTables, or: d.keepTables)
        keepImages = try c.value(.keepImages, or: d.keepImages)
        keepLinks = try c.value(.keepLinks, or: d.keepLinks)
        keepComments = try c.value(.keepComments, or: d.keepComments)
        timeBudgetSeconds = try c.value(.timeBudgetSeconds, or: d.timeBudgetSeconds)
        try require(maxPageBytes >= 1, c, .maxPageBytes, "must be at least 1")
        try require(timeBudgetSeconds > 0 && timeBudgetSeconds <= 3600, c, .timeBudgetSeconds, "must be in (0, 3600]")
    }
}

/// Which files the service writes per article.
public struct OutputConfig: Sendable, Equatable, Codable {
    public enum Format: String, Sendable, Codable, CaseIterable { case json, markdown, text }
    public var formats: [Format] = [.json, .markdown]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case formats }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formats = try c.value(.formats, or: [.json, .markdown])
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

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxAttempts, backoffBaseSeconds, backoffMaxSeconds, duplicateWindowHours
        case stableSeconds, shutdownGraceSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = QueueConfig()
        maxAttempts = try c.value(.maxAttempts, or: d.maxAttempts)
        backoffBaseSeconds = try c.value(.backoffBaseSeconds, or: d.backoffBaseSeconds)
        backoffMaxSeconds = try c.value(.backoffMaxSeconds, or: d.backoffMaxSeconds)
        duplicateWindowHours = try c.value(.duplicateWindowHours, or: d.duplicateWindowHours)
        stableSeconds = try c.value(.stableSeconds, or: d.stableSeconds)
        shutdownGraceSeconds = try c.value(.shutdownGraceSeconds, or: d.shutdownGraceSeconds)
        try require(maxAttempts >= 1, c, .maxAttempts, "must be at least 1")
        try require(backoffBaseSeconds >= 0, c, .backoffBaseSeconds, "must not be negative")
        try require(backoffMaxSeconds >= backoffBaseSeconds, c, .backoffMaxSeconds, "must be at least backoffBaseSeconds")
        try require(duplicateWindowHours >= 0, c, .duplicateWindowHours, "must not be negative")
        try require(stableSeconds >= 0, c, .stableSeconds, "must not be negative")
        try require(shutdownGraceSeconds >= 0, c, .shutdownGraceSeconds, "must not be negative")
    }
}

/// Throws `ConfigError.invalidValue` at `key`'s path unless `condition` holds.
func require<K: CodingKey>(
    _ condition: Bool, _ container: KeyedDecodingContainer<K>, _ key: K, _ reason: String
) throws {
    if !condition {
        throw ConfigError.invalidValue(keyPath: joinedKeyPath(container.codingPath + [key]), reason: reason)
    }
}
