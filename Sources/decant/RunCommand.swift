import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import DecantCore
import DecantExtract
import DecantFetch
import DecantSpool
import DecantPostgres
import DecantCluster

extension Decant {
    /// `decant run`: the spool service.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the spool service: fetch and clean the URLs dropped into the inbox.",
            discussion: """
                Claims job files from <spool>/inbox (every schedule.intervalSeconds, and at once when \
                inotify reports a new file), fetches their URLs and writes one article per URL into \
                <spool>/out; temporary failures wait in deferred/, permanent ones go to failed/ with a \
                reason. SIGTERM or SIGINT stop it gracefully (in-flight pages get \
                queue.shutdownGraceSeconds); SIGHUP reloads the configuration. With --once, processes \
                everything due and exits (cron, tests). Logs go to stderr. With queue.backend "postgres", \
                this is one node of a cluster: its inbox feeds the shared queue, and articles go into the \
                database's articles table (read them with decant collect) as well as <spool>/out \
                (docs/cluster.md).
                """)

        @Flag(help: "Process everything due now, then exit.")
        var once = false

        @Option(help: "Log level: trace, debug, info, notice, warning, error.")
        var logLevel: Logger.Level = .info

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let config = try common.load()
            _ = try config.prepareSpool()
            var logger = Logger(label: "decant") { _ in JournalLogHandler() }
            logger.logLevel = logLevel
            if config.queue.backend == .postgres { return try await runNode(config, logger: logger) }
            let path = common.config
            let service = SpoolService(
                config: config,
                options: .init(once: once, reload: { try ConfigOption.load(path: path) }),
                logger: logger)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: Logger(label: "decant.lifecycle") { _ in SwiftLogNoOpLogHandler() }))
            do {
                try await group.run()
            } catch let error as SpoolError {
                throw CLIFailure(code: 1, message: error.description)
            } catch let error as ServiceGroupError {
                throw CLIFailure(code: 1, message: "\(error)")
            }
        }
    }
}

extension Decant.Run {
    /// A cluster node (`queue.backend: "postgres"`): connects (waiting, with backoff, while the database
    /// is down), then serves the shared queue until SIGTERM or SIGINT (or, with --once, until nothing is due).
    func runNode(_ config: PipelineConfig, logger: Logger) async throws {
        let settings = try PostgresConnectionSettings.resolve(config.queue.postgres)
        var queue: PostgresQueue?
        for step in 0... {
            do {
                queue = try await PostgresQueue.open(settings: settings, node: config.node.name,
                                                     leaseSeconds: config.queue.leaseSeconds, logger: logger)
                break
            } catch {
                guard error.isTransient else { throw CLIFailure(code: 1, message: error.description) }
                let delay = ClusterNode.queueBackoff.delay(step: step)
                if once && delay > 8 { throw CLIFailure(code: 1, message: error.description) }
                logger.warning("shared queue: \(error); trying again in \(Int(delay)) s")
                try await Task.sleep(for: .seconds(delay))
            }
        }
        guard let queue else { return }
        let fetcher = Fetcher(config: config.fetch,
                              robotsSharing: SharedRobotsStore(queue: queue, userAgent: config.fetch.userAgent, logger: logger))
        let node = ClusterNode(config: config, options: .init(once: once), queue: queue, fetcher: fetcher,
                               extractor: Extractor(options: config.clean), logger: logger)
        logger.info("cluster node \(config.node.name) started on \(settings) (spool \(config.spool))")
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: ClusterNodeService(node: node), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [],
            cancellationSignals: [.sigterm, .sigint],
            logger: Logger(label: "decant.lifecycle") { _ in SwiftLogNoOpLogHandler() }))
        do {
            try await group.run()
        } catch let error as QueueError {
            await queue.close()
            throw CLIFailure(code: 1, message: error.description)
        }
        await queue.close()
    }
}

/// A cluster node as a service of the lifecycle group (cancelled by SIGTERM or SIGINT).
struct ClusterNodeService: Service {
    let node: ClusterNode
    func run() async throws { try await node.run() }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// One line per message on stderr: with a syslog priority prefix (`<6>`) under systemd, which journald
/// turns into the message's level; with a time and level otherwise.
struct JournalLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private static let underJournal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.message)"
        let line: String
        if Self.underJournal {
            line = "<\(Self.priority(event.level))>\(text)\n"
        } else {
            line = "\(Date().formatted(.iso8601)) \(event.level) \(text)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
