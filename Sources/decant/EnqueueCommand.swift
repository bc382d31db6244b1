import ArgumentParser
import Foundation
import DecantCore
import DecantSpool

extension Decant {
    /// `decant enqueue`: drop URLs into the spool's inbox as one job file, atomically.
    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enqueue",
            abstract: "Drop URLs into the spool's inbox (atomically, through tmp/).",
            discussion: """
                Writes one job file with the URLs (arguments, or one per line from stdin with '-'; blank \
                lines and '#' comments skipped) into <spool>/tmp and renames it into <spool>/inbox, so the \
                service never sees it half-written. Prints the job file's path.

                With --opml FILE, every feed of an OPML export is subscribed as a recurring source instead \
                (at sources.defaultIntervalSeconds; its folders become tags), as `decant subscribe` does.
                """)

        @Argument(help: "URLs, or - to read them from stdin.")
        var urls: [String] = []

        @Option(help: "Subscribe every feed of this OPML file as a recurring source.")
        var opml: String?

        @OptionGroup var common: ConfigOption

        func validate() throws {
            if opml != nil && !urls.isEmpty { throw ValidationError("give URLs or --opml FILE, not both") }
            if urls.isEmpty && opml == nil { throw ValidationError("give at least one URL, or - to read URLs from stdin") }
        }

        func run() async throws {
            let config = try common.load()
            if let opml { return try importOPML(opml, config: config) }
            let layout = try config.prepareSpool()
            var source = URLSource(arguments: urls)
            let result: (path: String?, count: Int)
            do {
                result = try SpoolEnqueue.write(to: layout) { source.next() }
            } catch {
                throw CLIFailure(code: 1, message: error.description)
            }
            guard let path = result.path else { throw CLIFailure.usage("no URL given") }
            print(path)
            stderr("enqueued \(result.count) URL\(result.count == 1 ? "" : "s")")
        }

        private func importOPML(_ path: String, config: PipelineConfig) throws {
            let store = try SourcesAccess.open(config)
            let summary: OPMLImport.Summary
            do throws(OPMLImport.Failure) {
                summary = try OPMLImport.run(path: path, store: store, intervalSeconds: config.sources.defaultIntervalSeconds)
            } catch {
                switch error {
                case .unreadable, .malformed: throw CLIFailure.usage(error.description)
                case .journal: throw CLIFailure(code: 1, message: error.description)
                }
            }
            guard summary.feeds > 0 else { throw CLIFailure.usage("\(path) lists no feeds (no outline with an xmlUrl)") }
            print("subscribed \(summary.added) of \(summary.feeds) feed\(summary.feeds == 1 ? "" : "s") from \(path)"
                  + (summary.added < summary.feeds ? " (\(summary.feeds - summary.added) already subscribed)" : ""))
            if summary.truncated { stderr("decant: \(path) lists more feeds than the limit; the rest were left out") }
        }
    }
}
