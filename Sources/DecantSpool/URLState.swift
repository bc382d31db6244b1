import GRDB

/// The state of one URL in the journal, stored as its raw value in `urls.state`.
public enum URLState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Queued.
    case pending
    /// Being fetched.
    case inflight
    /// Article id chosen, its file being renamed into out/.
    case delivering
    case delivered
    /// Waiting for `nextTry`.
    case deferred
    case failed

    /// Delivered or failed: nothing more to do within the duplicate window.
    public var isDone: Bool { self == .delivered || self == .failed }
}

/// What an `events` row counts (status rates), stored as its raw value in `events.kind`.
enum EventKind: String, Sendable, DatabaseValueConvertible {
    case delivered, deferred, failed
    /// `Journal.probe`'s row, added and removed in one transaction.
    case probe
}
