import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import DecantCore
import DecantSpool

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
                everything due and exits (cron, tests). Logs go to stderr.
                """)

        @Flag(help: "Process everything due now, then exit.")
        var once = false

        @Option(help: "Log level: trace, debug, info, notice, warning, error.")
        var logLevel: Logger.Level = .info

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let config = try common.load()
            if config.queue.backend == .postgres {
                // The PostgreSQL queue exists as a library (DecantPostgres) with its contract tests; the
                // service does not run on it yet, and must not silently fall back to the local journal.
                throw CLIFailure(code: 2, message: "queue.backend: \"postgres\" is not served by decant run yet "
                                 + "(the service runs on the spool's sqlite journal); use \"sqlite\"")
            }
            _ = try config.prepareSpool()
            var logger = Logger(label: "decant") { _ in JournalLogHandler() }
            logger.logLevel = logLevel
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
