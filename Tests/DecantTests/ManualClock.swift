import Foundation
import Synchronization
@testable import DecantSpool

/// A clock that moves only when told (`advance`), for timing tests that must not depend on the
/// machine's load. Sleepers wake when an advance reaches their deadline, or on cancellation.
final class ManualClock: ServiceClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
    }
    private let state: Mutex<State>

    init(_ start: Date = Date()) { state = Mutex(State(now: start)) }

    func now() -> Date { state.withLock { $0.now } }

    /// Tasks asleep on this clock now.
    var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// Waits (ten seconds at most) until some task sleeps on this clock; false if none did.
    func someoneSleeps() async -> Bool {
        let end = ContinuousClock.now + .seconds(10)
        while sleeping == 0 && ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(5)) }
        return sleeping > 0
    }

    /// Moves the time forward and wakes every sleeper whose deadline it reached.
    func advance(by seconds: Double) {
        let due = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.now = s.now.addingTimeInterval(seconds)
            let now = s.now
            let ids = s.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { s.sleepers.removeValue(forKey: $0)?.continuation }
        }
        for continuation in due { continuation.resume() }
    }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { s -> UInt64 in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.now >= deadline || Task.isCancelled { return true }
                    s.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
