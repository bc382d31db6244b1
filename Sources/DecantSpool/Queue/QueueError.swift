/// What went wrong in a queue backend, saying which operation and why.
public enum QueueError: Error, Equatable, CustomStringConvertible {
    /// The SQLite journal failed (the `sqlite` backend).
    case journal(SpoolError)
    /// The database server refused a statement: `sqlState` is its SQLSTATE code (e.g. `40001`).
    case database(operation: String, sqlState: String, message: String)
    /// The database cannot be reached (down, restarting, refused the login): worth another try later.
    case unavailable(operation: String, message: String)
    /// This node no longer holds the URL's lease (it expired and another node took it): nothing was changed.
    case leaseLost(url: String)
    /// A schema migration failed; the schema is left at the version before it.
    case migration(version: Int, message: String)

    /// True when the same operation may succeed later without anyone changing the configuration.
    public var isTransient: Bool {
        switch self {
        case .journal(let e): e.isTransient
        case .unavailable: true
        // serialization_failure, deadlock_detected, admin/crash shutdown, cannot_connect_now
        case .database(_, let state, _): ["40001", "40P01", "57P01", "57P02", "57P03"].contains(state)
        case .leaseLost, .migration: false
        }
    }

    public var description: String {
        switch self {
        case .journal(let e): e.description
        case .database(let op, let state, let message): "queue database: \(op): SQLSTATE \(state): \(message)"
        case .unavailable(let op, let message): "queue database unavailable: \(op): \(message)"
        case .leaseLost(let url): "lease of \(url) was lost (expired and taken by another node)"
        case .migration(let version, let message): "queue schema migration \(version) failed: \(message)"
        }
    }
}
