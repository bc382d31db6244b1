import ArgumentParser

/// `decant-bench spool` (not written yet).
struct SpoolBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spool", abstract: "Not written yet.")
    func run() async throws { print("not written yet") }
}
