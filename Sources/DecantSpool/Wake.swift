import Foundation
import Synchronization

/// Why the service loop woke up, besides a page finishing: a deadline, files in the inbox, a signal.
///
/// `wait` sleeps until the deadline or until one of the signalling calls below; it never polls.
package final class Wake: Sendable {
    private struct State {
        var poked = false
        var inbox = false
        var reload = false
        var stop = false
        /// The loop's pending `wait`, resumed by the next signal (one waiter at a time).
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())
    private let clock: any ServiceClock

    package init(clock: any ServiceClock = SystemClock()) { self.clock = clock }

    func poke() { signal { _ in } }
    package func inboxChanged() { signal { $0.inbox = true } }
    func requestReload() { signal { $0.reload = true } }
    func requestStop() { signal { $0.stop = true } }

    var stopRequested: Bool { state.withLock { $0.stop } }

    /// True once after a SIGHUP.
    func takeReload() -> Bool { state.withLock { s in defer { s.reload = false }; return s.reload } }

    /// True once after inotify saw something in the inbox.
    package func takeInbox() -> Bool { state.withLock { s in defer { s.inbox = false }; return s.inbox } }

    /// Waits until `deadline`, a signal since the last wait, or task cancellation.
    package func wait(until deadline: Date) async {
        guard deadline > clock.now() else { return }
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline) }
            group.addTask { await self.nextSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func signal(_ change: (inout State) -> Void) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            change(&s)
            s.poked = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one came since the last wait) or on cancellation.
    private func nextSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    // Checked under the lock: a cancellation handler that ran before finds no waiter.
                    if s.poked || Task.isCancelled { s.poked = false; return true }
                    s.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
        state.withLock { $0.poked = false }
    }
}
