import ArgumentParser
import Foundation
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
                """)

        @Argument(help: "URLs, or - to read them from stdin.")
        var urls: [String] = []

        @OptionGroup var common: ConfigOption

        func validate() throws {
            if urls.isEmpty { throw ValidationError("give at least one URL, or - to read URLs from stdin") }
        }

        func run() async throws {
            let config = try common.load()
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
    }
}
