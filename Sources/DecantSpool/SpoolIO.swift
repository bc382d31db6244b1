import Foundation
import Synchronization
import DecantCore

/// The one executor on which the spool service does its blocking I/O: the journal's SQLite calls,
/// inbox scans and claims, status collection, article writes with fsync.
///
/// A `TaskExecutor` over threads of its own: the service loop runs with it as its preferred
/// executor, URL tasks hop onto it (`run`) to record their outcome, so blocking calls never hold
/// a thread of the cooperative pool. One thread starts in `init`; more (up to `maxThreads`) start
/// while jobs wait with every thread busy, so the fsyncs of pages finishing together overlap (the
/// disk's journal commits them together). All end after `shutdown` once the queued jobs have run; a
/// job enqueued after that still runs, on a thread started for it.
package final class SpoolIO: TaskExecutor, @unchecked Sendable {  // the fields below are only touched under `condition`
    private let condition = NSCondition()
    private var jobs = FIFO<UnownedJob>()
    private var stopping = false
    /// Threads running now (a thread that ends after `shutdown` is no longer counted).
    private var threads = 0
    /// Threads waiting for a job.
    private var idle = 0
    let maxThreads: Int
    /// Set (non-nil) on every `SpoolIO` thread.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Threads at most: enough fsyncs at once to keep up with the fetcher.
    static let defaultMaxThreads = 8

    package init(maxThreads: Int = SpoolIO.defaultMaxThreads) {
        self.maxThreads = max(1, maxThreads)
        condition.lock()
        startThread()
        condition.unlock()
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        if idle == 0 && threads < maxThreads { startThread() } else { condition.signal() }
        condition.unlock()
    }

    /// Starts one more thread (called under the lock).
    private func startThread() {
        threads += 1
        let thread = Thread { [self] in self.work() }
        thread.name = "decant-spool-io-\(threads)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Runs `body` on an I/O thread and returns its value.
    package func run<T: Sendable>(_ body: @Sendable () -> T) async -> T {
        // The closure of `withTaskExecutorPreference` keeps the caller's executor until it suspends;
        // the call of a nonisolated async function is the hop onto the preferred one.
        await withTaskExecutorPreference(self) { await Self.call(body) }
    }

    private static func call<T: Sendable>(_ body: @Sendable () -> T) async -> T { body() }

    /// Lets the threads end once the jobs queued so far have run.
    package func shutdown() {
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
            while jobs.isEmpty && !stopping {
                idle += 1
                condition.wait()
                idle -= 1
            }
            guard let job = jobs.removeFirst() else {
                threads -= 1  // stopping and nothing left
                condition.unlock()
                return
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
