import Foundation
import Logging
import DecantCore
import DecantArchive
import DecantFetch

/// The opened spool of one service run: the lock, the journal, the validators, the folders and
/// the jobs that work on them, made once at start (blocking I/O: on the `SpoolIO` executor).
struct SpoolParts {
    let layout: SpoolLayout
    let lock: SpoolLock
    let journal: Journal
    /// The recurring sources in the journal (`decant subscribe`).
    let sources: SourceStore
    let validators: ValidatorStore?
    var delivery: Delivery
    let claim: Claim
    let ingest: JobIngest
    let intake: InboxIntake
    let status: StatusReporter
    let pool = ExtractionPool()
    let io: SpoolIO
    let logger: Logger
    let makeFetcher: SpoolService.FetcherFactory
    let makeExtractor: SpoolService.ExtractorFactory
    /// `output.warc`: every exchange of the fetcher goes into spool/warc/ (docs/outputs.md).
    let warc: WARCRecorder?
    /// `output.deliveryLog`: out/index.jsonl.
    let deliveryLog: DeliveryLog?
    /// `output.webhook`: the outbox's sender.
    let webhook: WebhookSender?

    init(config: PipelineConfig, logger: Logger, clock: any ServiceClock, io: SpoolIO,
         makeFetcher: @escaping SpoolService.FetcherFactory,
         makeExtractor: @escaping SpoolService.ExtractorFactory) throws {
        self.logger = logger
        self.io = io
        self.makeFetcher = makeFetcher
        self.makeExtractor = makeExtractor
        layout = SpoolLayout(root: config.spool)
        try layout.create()
        lock = try SpoolLock(path: layout.lockFile)
        journal = try Journal(path: layout.journal)
        sources = SourceStore(journal: journal)
        validators = try Self.openValidators(config)
        delivery = Delivery(layout: layout, formats: config.output.formats, frontMatter: config.output.frontMatter)
        claim = Claim(layout: layout)
        ingest = JobIngest(layout: layout, journal: journal, delivery: delivery, logger: logger,
                           windowHours: config.queue.duplicateWindowHours)
        intake = InboxIntake(claim: claim, ingest: ingest, logger: logger)
        status = StatusReporter(layout: layout, journal: journal, checkInterval: Self.statusCheckInterval(config),
                                clock: clock)
        warc = config.output.warc ? WARCRecorder(directory: layout.warc, maxFileBytes: config.output.warcMaxBytes,
                                                 logger: logger) : nil
        let journal = self.journal, layout = self.layout
        deliveryLog = config.output.deliveryLog ? DeliveryLog(folder: layout.out, journal: journal) : nil
        webhook = config.output.webhook.map {
            WebhookSender(config: $0, journal: journal, layout: layout, queue: config.queue, fetch: config.fetch,
                          logger: logger)
        }
    }

    /// What a delivery writes besides out/: the log line and the webhook row.
    var outputs: DeliveryOutputs { DeliveryOutputs(delivery: delivery, log: deliveryLog, webhook: webhook) }

    /// The start-up job over these parts.
    var recovery: SpoolRecovery {
        SpoolRecovery(layout: layout, journal: journal, delivery: delivery, ingest: ingest, logger: logger,
                      outputs: outputs)
    }

    /// How often the status is looked at without a known change: rates age, folders change by hand.
    static func statusCheckInterval(_ config: PipelineConfig) -> Double {
        min(config.schedule.intervalSeconds, 10)
    }

    /// Opens the validators database; tries twice more, since a store of an earlier run in this
    /// process (tests run the service repeatedly) may still be closing its WAL connection.
    private static func openValidators(_ config: PipelineConfig) throws(SpoolError) -> ValidatorStore? {
        var attempt = 0
        while true {
            do { return try ValidatorStore.open(for: config) } catch {
                attempt += 1
                if attempt >= 3 {
                    guard let code = error.resultCode else {
                        throw .failure(path: error.path, operation: "open validators", reason: error.reason)
                    }
                    throw .journal(path: error.path, operation: "open validators", resultCode: code, message: error.reason)
                }
                usleep(200_000)
            }
        }
    }
}
