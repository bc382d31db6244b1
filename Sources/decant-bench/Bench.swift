import ArgumentParser

/// Benchmarks (release build only): extraction speed, fetch throughput, spool throughput.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decant-bench",
        abstract: "Decant benchmarks: run from a release build (swift build -c release).",
        subcommands: [ExtractBench.self, FetchBench.self, SpoolBench.self, QualityBench.self])
}
