import ArgumentParser
import Decant

extension Decant {
    /// `decant run` (not built yet).
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Not available yet.")
        @OptionGroup var common: ConfigOption

        func run() async throws {
            throw CLIFailure.usage("'run' is not available yet")
        }
    }
}
