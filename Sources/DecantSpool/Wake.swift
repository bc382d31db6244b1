import Foundation
import Synchronization

/// Why the service loop woke up, besides a page finishing: a timer, files in the inbox, a signal.
final class Wake: Sendable {
    private struct State {
        var poked = false
        var inbox = false
        var reload = false
        var stop = false
    }
    private let state = Mutex(State())
    /// How often a waiting loop looks at its flags and the inotify descriptor.
    static let pollInterval: Duration = .milliseconds(25)

    func poke() { state.withLock { $0.poked = true } }
    func requestReload() { state.withLock { $0.reload = true; $0.poked = true } }
    func requestStop() { state.withLock { $0.stop = true; $0.poked = true } }

    var stopRequested: Bool { state.withLock { $0.stop } }

    /// True once after a SIGHUP.
    func takeReload() -> Bool { state.withLock { s in defer { s.reload = false }; return s.reload } }

    /// True once after inotify saw something in the inbox.
    func takeInbox() -> Bool { state.withLock { s in defer { s.inbox = false }; return s.inbox } }

    /// Waits until `deadline`, a poke, or an inotify event (or task cancellation).
    func wait(until deadline: Date, watcher: InboxWatcher?) async {
        while Date() < deadline {
            if let watcher, watcher.drain() { state.withLock { $0.inbox = true } ; return }
            if state.withLock({ s in defer { s.poked = false }; return s.poked }) { return }
            do { try await Task.sleep(for: Self.pollInterval) } catch { return }
        }
    }
}
