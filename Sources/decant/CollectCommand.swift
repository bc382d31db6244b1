import ArgumentParser
import Foundation
import Logging
import DecantCore
import DecantPostgres

extension Decant {
    /// `decant collect`: the shared queue's articles into a folder, or as JSON lines on stdout.
    struct Collect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collect",
            abstract: "Copy the articles a cluster delivered (queue.backend \"postgres\") into a folder or stdout.",
            discussion: """
                Reads the shared queue's articles table in delivery order. With --out DIR, writes each \
                article's files (<id>.md, <id>.txt, then <id>.json) into DIR through a temporary file and a \
                rename, and keeps its position in DIR/.decant-collect.json; without it, writes one JSON line \
                per article to stdout ({"article", "deliveredAt", "node", "seq"}), keeping its position in \
                --cursor FILE when given. Started again, it goes on after the last article written. With \
                --follow, it then waits for new articles (LISTEN/NOTIFY) until stopped. Runs on any host \
                that reaches the database.
                """)

        @Option(help: "Folder to write the articles into (created if missing).")
        var out: String?

        @Option(help: "Cursor file (default with --out: DIR/.decant-collect.json; without --out: none).")
        var cursor: String?

        @Flag(help: "After the articles delivered so far, wait for new ones until stopped.")
        var follow = false

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let config = try common.load()
            guard config.queue.backend == .postgres else {
                throw CLIFailure.usage("collect reads the shared queue's articles: it needs queue.backend \"postgres\" "
                                       + "(with sqlite, the articles are the files in <spool>/out)")
            }
            let settings = try PostgresConnectionSettings.resolve(config.queue.postgres)
            var logger = Logger(label: "decant.collect") { _ in JournalLogHandler() }
            logger.logLevel = .warning
            let queue: PostgresQueue
            do {
                queue = try await PostgresQueue.open(settings: settings, node: config.node.name,
                                                     leaseSeconds: config.queue.leaseSeconds, logger: logger,
                                                     registerNode: false)
            } catch {
                throw CLIFailure(code: 1, message: error.description)
            }
            let output: ArticleCollector.Output = if let out { .folder(out) } else {
                .lines { data in try FileHandle.standardOutput.write(contentsOf: data) }
            }
            let collector = ArticleCollector(queue: queue, output: output, cursorPath: cursor)
            do {
                let written = try await collector.run(follow: follow) { skipped in stderr("decant: skipped: \(skipped)") }
                await queue.close()
                if out != nil { stderr("decant: \(written) article(s) collected") }
            } catch {
                await queue.close()
                throw CLIFailure(code: 1, message: error.description)
            }
        }
    }
}
