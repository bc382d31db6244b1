#if canImport(Glibc)
import Glibc
#endif

/// What went wrong in the spool, saying what and where, with the system's own error code.
public enum SpoolError: Error, CustomStringConvertible, Equatable {
    /// A system call on a spool file failed with `errno`.
    case io(path: String, operation: String, errno: Int32)
    /// A spool operation failed for a reason that is not a system error.
    case failure(path: String, operation: String, reason: String)
    /// The journal (SQLite) failed: `resultCode` is SQLite's primary result code (13 = disk full).
    case journal(path: String, operation: String, resultCode: Int32, message: String)
    /// Another `decant run` holds the spool's lock.
    case locked(path: String)

    /// SQLite's `SQLITE_FULL`.
    public static let sqliteFull: Int32 = 13
    /// SQLite's `SQLITE_IOERR`, `SQLITE_BUSY`, `SQLITE_LOCKED`, `SQLITE_CANTOPEN`: worth another try.
    static let retryableSQLite: Set<Int32> = [5, 6, 10, 14]
    /// errno values worth another try: the disk may get space back, the device may recover.
    static let retryableErrno: Set<Int32> = [ENOSPC, EDQUOT, EIO, EAGAIN, EINTR, ENOMEM, EMFILE, ENFILE, EBUSY]

    /// True when the file system (or the journal on it) has no space left.
    public var isOutOfSpace: Bool {
        switch self {
        case .io(_, _, let e): e == ENOSPC || e == EDQUOT
        case .journal(_, _, let code, _): code == Self.sqliteFull
        case .failure, .locked: false
        }
    }

    /// True when the same operation may succeed later without anyone changing the configuration.
    public var isTransient: Bool {
        switch self {
        case .io(_, _, let e): Self.retryableErrno.contains(e)
        case .journal(_, _, let code, _): code == Self.sqliteFull || Self.retryableSQLite.contains(code)
        case .failure, .locked: false
        }
    }

    public var description: String {
        switch self {
        case .io(let path, let op, let e): "\(op) \(path): \(String(cString: strerror(e)))"
        case .failure(let path, let op, let reason): "\(op) \(path): \(reason)"
        case .journal(let path, let op, let code, let message):
            "spool journal \(path): \(op): SQLite error \(code): \(message)"
        case .locked(let path): "another decant run is using this spool (lock \(path) is held)"
        }
    }
}
