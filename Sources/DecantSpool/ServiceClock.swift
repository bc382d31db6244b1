import Foundation

/// The time the spool service goes by: what time it is, and sleeping until a time.
///
/// The service, its dispatcher, backoff and status reporter read the time only through one of
/// these, so tests can drive them with a manual clock instead of the machine's.
package protocol ServiceClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Returns at `deadline` or before (at once if it has passed; callers look at the time again);
    /// throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The machine's clock (`Date()`, `Task.sleep`); a sleep lasts an hour at most.
package struct SystemClock: ServiceClock {
    /// The longest single sleep: a deadline further away is slept towards in steps of this.
    static let longestSleep: Duration = .seconds(3600)

    package init() {}

    package func now() -> Date { Date() }

    package func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        try await Task.sleep(for: min(Self.longestSleep, .milliseconds(Int64(min(seconds, 1e9) * 1000) + 1)))
    }
}
