import DecantArchive
import DecantCore
import DecantFetch
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `output.warc`: writes every exchange the fetcher makes into `spool/warc/` on a thread of its own,
/// behind a bounded queue (a fetch waits for room, so a slow disk slows fetching instead of filling memory).
///
/// A write that fails (a full disk) is retried with backoff, the queue filling meanwhile; at shutdown
/// what cannot be written is dropped and counted. Leftover `.open` files of a killed run are cut after
/// their last whole record and renamed into place when the recorder starts.
public final class WARCRecorder: ExchangeRecorder {
    private struct Waiter {
        var batch: [WARCExchange]
        var size: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var queue: [[WARCExchange]] = []
        var head = 0
        var bytes = 0
        var waiters: [Waiter] = []
        var stopping = false
        var written = 0
        var dropped = 0
    }

    /// Bytes of exchanges queued before a fetch has to wait, by default (one larger transfer is still taken alone).
    public static let defaultQueueBytes = 64 << 20
    /// Longest wait between tries of a write that failed.
    static let maxRetryDelay: Double = 30

    public let directory: String
    /// Bytes of exchanges queued before a fetch has to wait.
    public let queueBytes: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let stopEvent = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let writerBox: WriterBox

    /// Owns the (non-Sendable) `WARCWriter`; touched only by the writer thread.
    private final class WriterBox: @unchecked Sendable {
        let writer: WARCWriter
        init(_ writer: WARCWriter) { self.writer = writer }
    }

    /// Finishes leftovers in `directory` and starts the writer thread.
    public init(directory: String, maxFileBytes: Int, node: String = WARCRecorder.hostName(),
                durable: Bool = true, queueBytes: Int = WARCRecorder.defaultQueueBytes, logger: Logger) {
        self.directory = directory
        self.queueBytes = queueBytes
        self.logger = logger
        do {
            let finished = try WARCWriter.finishLeftovers(in: directory)
            if !finished.isEmpty { logger.notice("WARC: finished \(finished.count) file(s) a previous run left open") }
        } catch {
            logger.error("WARC: cannot finish a leftover file (kept as .open, tried again at the next start): \(error)")
        }
        writerBox = WriterBox(WARCWriter(options: .init(directory: directory, node: node, maxFileBytes: maxFileBytes,
                                                        durable: durable)))
        let thread = Thread { [self] in self.loop() }
        thread.name = "decant-warc"
        thread.start()
    }

    /// This machine's host name (`gethostname`), for file names.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "node" }
        return String(cString: buffer)
    }

    public func record(_ exchanges: [WARCExchange]) async {
        let size = exchanges.reduce(0) { $0 + $1.request.count + $1.responseHead.count + $1.responseBody.count }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queued = state.withLock { s -> Bool? in
                if s.stopping { s.dropped += exchanges.count; return nil }
                if s.waiters.isEmpty && (s.bytes + size <= queueBytes || s.queue.count == s.head) {
                    s.queue.append(exchanges)
                    s.bytes += size
                    return true
                }
                s.waiters.append(Waiter(batch: exchanges, size: size, continuation: continuation))
                return false
            }
            if queued == true { available.signal() }
            if queued != false { continuation.resume() }
        }
    }

    /// Writes what is queued, finishes the open file (renamed into place) and stops the thread.
    /// Blocks until then; later exchanges are dropped.
    public func finish() {
        let admitted = state.withLock { s -> [Waiter] in
            if s.stopping { return [] }
            s.stopping = true
            let waiters = s.waiters
            s.waiters = []
            for w in waiters { s.queue.append(w.batch); s.bytes += w.size }
            return waiters
        }
        for w in admitted { available.signal(); w.continuation.resume() }
        stopEvent.signal()
        available.signal()
        exited.wait()
        exited.signal()  // later calls return at once
    }

    /// `finish` on a dispatch thread, so an async caller does not block its executor while the queue drains.
    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.finish()
                continuation.resume()
            }
        }
    }

    /// Exchanges written and dropped so far.
    public var counts: (written: Int, dropped: Int) { state.withLock { ($0.written, $0.dropped) } }

    // MARK: The writer thread

    private func loop() {
        while true {
            available.wait()
            guard let batch = take() else { break }
            write(batch)
        }
        do { try writerBox.writer.finish() } catch {
            logger.error("WARC: cannot finish \(directory) (the .open file is finished at the next start): \(error)")
        }
        let (written, dropped) = counts
        logger.info("WARC: \(written) exchange(s) written to \(directory)\(dropped > 0 ? ", \(dropped) dropped" : "")")
        exited.signal()
    }

    /// The next queued batch (letting waiting fetches in as room frees up), or nil once stopping and empty.
    private func take() -> [WARCExchange]? {
        let (batch, admitted) = state.withLock { s -> ([WARCExchange]?, [Waiter]) in
            guard s.head < s.queue.count else { return (nil, []) }
            let batch = s.queue[s.head]
            s.queue[s.head] = []
            s.head += 1
            if s.head > 256 && s.head * 2 > s.queue.count { s.queue.removeFirst(s.head); s.head = 0 }
            s.bytes -= batch.reduce(0) { $0 + $1.request.count + $1.responseHead.count + $1.responseBody.count }
            var admitted: [Waiter] = []
            while let w = s.waiters.first, s.bytes + w.size <= queueBytes || s.head == s.queue.count {
                s.waiters.removeFirst()
                s.queue.append(w.batch)
                s.bytes += w.size
                admitted.append(w)
            }
            return (batch, admitted)
        }
        for w in admitted { available.signal(); w.continuation.resume() }
        return batch
    }

    /// Writes one transfer's exchanges; a failed write is retried with backoff until it works or a stop.
    private func write(_ batch: [WARCExchange]) {
        var next = 0
        var delay = 1.0
        var failing = false
        while next < batch.count {
            do {
                try writerBox.writer.write(batch[next])
                next += 1
                state.withLock { $0.written += 1 }
                if failing { logger.notice("WARC: writing works again") ; failing = false }
            } catch {
                if state.withLock({ $0.stopping }) {
                    let lost = batch.count - next
                    state.withLock { $0.dropped += lost }
                    logger.error("WARC: \(error); stopping, \(lost) exchange(s) dropped")
                    return
                }
                if !failing { logger.error("WARC: \(error); recording paused, fetches wait, retrying") }
                failing = true
                if stopEvent.wait(timeout: .now() + delay) == .success { stopEvent.signal() }
                delay = min(delay * 2, Self.maxRetryDelay)
            }
        }
    }
}
