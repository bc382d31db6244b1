import ArgumentParser
import Decant

extension Decant {
    /// `decant status` (not built yet).
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Not available yet.")
        @OptionGroup var common: ConfigOption

        func run() async throws {
            throw CLIFailure.usage("'status' is not available yet")
        }
    }
}
