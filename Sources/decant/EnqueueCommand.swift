import ArgumentParser
import Decant

extension Decant {
    /// `decant enqueue` (not built yet).
    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enqueue", abstract: "Not available yet.")
        @OptionGroup var common: ConfigOption

        func run() async throws {
            throw CLIFailure.usage("'enqueue' is not available yet")
        }
    }
}
