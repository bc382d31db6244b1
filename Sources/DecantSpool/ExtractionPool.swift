import Foundation
import Synchronization
import DecantCore
import DecantFetch

/// A fixed set of threads that clean pages, away from Swift's cooperative pool: a page that takes
/// long to clean holds one of these threads, never the service loop (intake, leasing, signals).
///
/// `run` returns nil at once when its task is cancelled (the end of the shutdown grace period);
/// the page's work then ends in the background and its result is dropped. The threads start with
/// the first page and end after `shutdown`; a page submitted after that still runs, on a thread
/// started for it.
package final class ExtractionPool: @unchecked Sendable {  // the queue and flags are only touched under `condition`
    private let condition = NSCondition()
    private var jobs = FIFO<@Sendable () -> Void>()
    private var stopping = false
    /// Threads running now (a thread that ends after `shutdown` is no longer counted).
    private var running = 0
    let threads: Int

    /// Pages cleaned at once: one per core, at least two.
    static var defaultThreads: Int { max(2, ProcessInfo.processInfo.activeProcessorCount) }

    package init(threads: Int = ExtractionPool.defaultThreads) {
        self.threads = max(1, threads)
    }

    /// Starts `count` threads (called under the lock).
    private func startThreads(_ count: Int) {
        for index in running..<running + count {
            let thread = Thread { [self] in self.work() }
            thread.name = "decant-clean-\(index)"
            thread.stackSize = 8 << 20  // as the main thread: deep pages, iterative walks, libxml2
            thread.start()
        }
        running += count
    }

    /// Runs `body` on a pool thread and returns its value; nil when the calling task was cancelled first.
    package func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
        let slot = ResumeOnce<T?>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                slot.set(continuation)
                submit {
                    guard !slot.isFinished else { return }  // cancelled while waiting for a thread
                    slot.resume(body())
                }
            }
        } onCancel: {
            slot.resume(nil)
        }
    }

    /// Lets the threads end once the queued work is done (work still running finishes first).
    package func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        if running == 0 { startThreads(stopping ? 1 : threads) }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            guard let job = jobs.removeFirst() else {
                running -= 1  // stopping and nothing left
                condition.unlock()
                return
            }
            condition.unlock()
            job()
        }
    }
}
