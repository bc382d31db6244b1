import Foundation
import Synchronization
import DecantCore

/// The one thread on which the spool service does its blocking I/O: the journal's SQLite calls,
/// inbox scans and claims, status collection, article writes with fsync.
///
/// A `TaskExecutor`: the service loop runs with it as its preferred executor, URL tasks hop onto it
/// (`run`) to record their outcome. Blocking calls thus never hold a thread of the cooperative pool.
/// The thread starts in `init` and ends after `shutdown` once the queued jobs have run.
final class SpoolIO: TaskExecutor, @unchecked Sendable {  // `jobs` and `stopping` are only touched under `condition`
    private let condition = NSCondition()
    private var jobs = FIFO<UnownedJob>()
    private var stopping = false
    /// Set (non-nil) on every `SpoolIO` thread.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    init() {
        let thread = Thread { [self] in self.work() }
        thread.name = "decant-spool-io"
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on the I/O thread and returns its value.
    func run<T: Sendable>(_ body: @Sendable () -> T) async -> T {
        // The closure of `withTaskExecutorPreference` keeps the caller's executor until it suspends;
        // the call of a nonisolated async function is the hop onto the preferred one.
        await withTaskExecutorPreference(self) { await Self.call(body) }
    }

    private static func call<T: Sendable>(_ body: @Sendable () -> T) async -> T { body() }

    /// Lets the thread end once the jobs queued so far have run.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// True on a `SpoolIO` thread (for checks and tests).
    static var isCurrentThread: Bool { pthread_getspecific(marker) != nil }

    private func work() {
        pthread_setspecific(Self.marker, UnsafeRawPointer(bitPattern: 1))
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            guard let job else { return }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
