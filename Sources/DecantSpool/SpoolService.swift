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
    let clock: any ServiceClock

    /// The service on `config`; every message it logs has its control characters escaped.
    public init(config: PipelineConfig, options: Options = Options(), logger: Logger,
                makeFetcher: @escaping FetcherFactory = { Fetcher(config: $0, validators: $1) },
                makeExtractor: @escaping ExtractorFactory = { Extractor(options: $0) }) {
        self.init(config: config, options: options, logger: logger, clock: SystemClock(),
                  makeFetcher: makeFetcher, makeExtractor: makeExtractor)
    }

    /// The service going by `clock` (a manual clock in tests).
    package init(config: PipelineConfig, options: Options = Options(), logger: Logger, clock: any ServiceClock,
                 makeFetcher: @escaping FetcherFactory = { Fetcher(config: $0, validators: $1) },
                 makeExtractor: @escaping ExtractorFactory = { Extractor(options: $0) }) {
        self.config = config
        self.options = options
        self.logger = logger.escapingControls
        self.makeFetcher = makeFetcher
        self.makeExtractor = makeExtractor
        self.clock = clock
    }

    /// Runs the service; its fetchers' threads run as tasks inside this call (a SIGHUP that changes
    /// `fetch` starts a new one), and all blocking spool I/O runs on one `SpoolIO` executor.
    public func run() async throws {
        let io = SpoolIO()
        defer { io.shutdown() }
        try await withTaskExecutorPreference(io) { try await runLoop(io: io) }
    }

    /// A nonisolated async function: calling it moves the task onto its preferred executor (`io`),
    /// so opening the spool already runs there.
    private func runLoop(io: SpoolIO) async throws {
        let runner = try SpoolRunner(config: config, options: options, logger: logger, clock: clock, io: io,
                                     makeFetcher: makeFetcher, makeExtractor: makeExtractor)
        try await runner.run()
    }
}
