import Foundation
import Logging

/// The service's pause on spool errors: after a failed spool write (disk full, I/O error) no new
/// work is taken until `until`; the wait doubles up to `maxSeconds` while the error persists.
struct SpoolPause {
    /// Longest wait between two tries while the spool cannot be written.
    static let maxSeconds: Double = 60
    /// `--once` gives up (exit 1) after this many failed tries (about a minute).
    static let onceAttempts = 7

    let root: String
    let once: Bool
    let logger: Logger
    /// No new work before this time.
    private(set) var until = Date.distantPast
    /// The error that paused intake (logged once per episode); nil while not paused.
    private(set) var cause: SpoolError?
    private var delay: Double = 0
    private var tries = 0

    var isPaused: Bool { cause != nil }

    init(root: String, once: Bool, logger: Logger) {
        self.root = root
        self.once = once
        self.logger = logger
    }

    /// A spool operation failed: no new work for a while, logged once per episode. Throws the error
    /// only in `--once` mode after `onceAttempts` tries; the service itself never ends on it.
    mutating func pause(for error: any Error, during what: String, now: Date) throws {
        let spoolError = error as? SpoolError ?? .failure(path: root, operation: what, reason: "\(error)")
        tries += 1
        if cause == nil {
            delay = 1
            let kind = spoolError.isOutOfSpace ? "the spool's disk is full" : "the spool cannot be written"
            logger.error("pausing intake, \(kind) (\(what): \(spoolError)); trying again with backoff up to \(Int(Self.maxSeconds)) s")
        } else {
            delay = min(Self.maxSeconds, delay * 2)
            logger.debug("still paused (\(what)): \(spoolError)")
        }
        cause = spoolError
        until = now.addingTimeInterval(delay)
        if once && tries >= Self.onceAttempts { throw spoolError }
    }

    /// The spool took writes again: ends the pause (logged when there was one).
    mutating func resumed() {
        tries = 0
        guard cause != nil else { return }
        cause = nil
        delay = 0
        until = .distantPast
        logger.notice("resuming intake: the spool accepts writes again")
    }
}
