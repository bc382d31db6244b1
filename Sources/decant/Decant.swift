import ArgumentParser
import Foundation
import DecantCore
import DecantExtract

/// The `decant` command: parses arguments and hands each subcommand to the library.
@main
struct Decant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decant",
        abstract: "Turn web pages into clean, structured articles.",
        version: "0.1.0",
        subcommands: [Extract.self, Fetch.self, Enqueue.self, Run.self, Status.self,
                      Subscribe.self, Unsubscribe.self, Sources.self, Collect.self])

    /// Runs the command with SPEC exit codes: 0 ok, 1 a page failed, 2 bad usage or configuration.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            if !failure.message.isEmpty { stderr("decant: \(failure.message)") }
            Foundation.exit(failure.code)
        } catch let error as ConfigError {
            stderr("decant: \(error)")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// A command's end other than success: the exit code and a one-line reason.
struct CLIFailure: Error {
    var code: Int32
    var message: String

    static func pageFailed(_ message: String = "") -> CLIFailure { CLIFailure(code: 1, message: message) }
    static func usage(_ message: String) -> CLIFailure { CLIFailure(code: 2, message: message) }
}

/// Options every command shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: ./pipeline.json when present, else built-in defaults).")
    var config: String?

    func load() throws -> PipelineConfig {
        try Self.load(path: config)
    }

    /// Loads `path` (see `PipelineConfig.load`) and compiles its site rules' XPaths.
    static func load(path: String?) throws(ConfigError) -> PipelineConfig {
        let loaded = try PipelineConfig.load(path: path)
        try loaded.sites.checkXPaths()
        return loaded
    }
}
