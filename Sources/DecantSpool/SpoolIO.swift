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
    func run<T: Sendable>(_ body: () -> T) async -> T {
        await withTaskExecutorPreference(self) { body() }
    }

    /// Lets the thread end once the jobs queued so far have run.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
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
