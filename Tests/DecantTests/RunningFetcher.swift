import Foundation
@testable import DecantCore
@testable import DecantFetch

/// A `Fetcher` whose `run()` serves it from a task for as long as this object lives (tests that
/// fetch directly; the service and `decant fetch` run theirs in a task group).
final class RunningFetcher: Sendable {
    let fetcher: Fetcher
    private let serving: Task<Void, Never>

    init(config: FetchConfig, validators: ValidatorStore? = nil, robotsSharing: (any RobotsSharing)? = nil) {
        let fetcher = Fetcher(config: config, validators: validators, robotsSharing: robotsSharing)
        self.fetcher = fetcher
        serving = Task { await fetcher.run() }
    }

    /// Cancelling `run()` ends the curl thread.
    deinit { serving.cancel() }

    func fetch(_ url: String) async -> FetchOutcome { await fetcher.fetch(url) }

    func record(to recorder: (any ExchangeRecorder)?) { fetcher.record(to: recorder) }
}
