import ArgumentParser
import Foundation
import DecantSpool

extension Decant {
    /// `decant status`: counts per spool folder, throughput and recent failures.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the spool: files per folder, URLs per state, pages/min, recent failures.")

        @Flag(help: "Print the status as JSON (the same object as <spool>/status.json).")
        var json = false

        @OptionGroup var common: ConfigOption

        func run() async throws {
            let config = try common.load()
            let layout = SpoolLayout(root: config.spool)
            guard FileManager.default.fileExists(atPath: layout.root) else {
                throw CLIFailure.usage("no spool at \(layout.root) (set 'spool' in the configuration)")
            }
            let status = SpoolStatus.collect(layout: layout, journal: Journal.openIfPresent(layout.journal))
            if json {
                FileHandle.standardOutput.write(status.jsonData())
            } else {
                print(status.text, terminator: "")
            }
        }
    }
}
