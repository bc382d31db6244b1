import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import DecantCore
import DecantExtract
import DecantFetch

/// The spool service (`decant run`): claims job files from inbox/, fetches their URLs through one
/// shared fetcher, and delivers each URL into out/, deferred/ or failed/, surviving crashes.
///
/// `run()` returns when the service stopped normally: after a graceful shutdown (SIGTERM/SIGINT
/// through the `ServiceGroup`, in-flight pages given `queue.shutdownGraceSeconds`, the rest put
/// back in the queue), or in `once` mode when nothing due is left. It throws a `SpoolError` when
/// the spool cannot be opened or locked; errors on single pages or job files never end it, and a
/// spool that cannot be written (disk full) pauses intake until it can.
public struct SpoolService: Service {
    /// Makes the fetcher the service shares between all URLs (a stand-in in tests).
    public typealias FetcherFactory = @Sendable (FetchConfig, ValidatorStore?) -> any PageFetching
    /// Makes the extractor that cleans fetched pages (a stand-in in tests).
    public typealias ExtractorFactory = @Sendable (CleanConfig) -> any PageExtracting

    public struct Options: Sendable {
        /// Process what is due, then return (cron, tests).
        public var once: Bool
        /// Where SIGHUP reloads the configuration from; nil reloads nothing.
        public var reload: (@Sendable () throws -> PipelineConfig)?

        public init(once: Bool = false, reload: (@Sendable () throws -> PipelineConfig)? = nil) {
            self.once = once
            self.reload = reload
        }
    }

    let config: PipelineConfig
    let options: Options
    let logger: Logger
    let makeFetcher: FetcherFactory
    let makeExtractor: ExtractorFactory

    /// The service on `config`; every message it logs has its control characters escaped.
    public init(config: PipelineConfig, options: Options = Options(), logger: Logger,
                makeFetcher: @escaping FetcherFactory = { Fetcher(config: $0, validators: $1) },
                makeExtractor: @escaping ExtractorFactory = { Extractor(options: $0) }) {
        self.config = config
        self.options = options
        self.logger = logger.escapingControls
        self.makeFetcher = makeFetcher
        self.makeExtractor = makeExtractor
    }

    public func run() async throws {
        let runner = try SpoolRunner(config: config, options: options, logger: logger, makeFetcher: makeFetcher,
                                     makeExtractor: makeExtractor)
        try await runner.run()
    }
}

/// Runs blocking work (fsync, journal writes) on a Dispatch queue instead of the cooperative pool.
/// How much runs at once is bounded by the service's in-flight limit.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "decant.spool.io", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
