import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Notices files arriving in inbox/ at once through inotify (where the kernel offers it), so the
/// service need not wait for its next full rescan. Without inotify it reports nothing and the
/// scheduled rescans alone find new files.
///
/// The descriptor is non-blocking and only ever drained by the service's loop (one owner).
final class InboxWatcher: @unchecked Sendable {  // the fd is only read by one task at a time (the wake poller)
    private let fd: Int32
    private let lock = NSLock()

    init(folder: String) {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 {
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB)
            if inotify_add_watch(fd, folder, mask) < 0 {
                close(fd)
                self.fd = -1
                return
            }
        }
        self.fd = fd
        #else
        self.fd = -1
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    var isActive: Bool { fd >= 0 }

    /// Reads every pending event; true when anything happened in the folder since the last call.
    func drain() -> Bool {
        guard fd >= 0 else { return false }
        lock.lock()
        defer { lock.unlock() }
        var any = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            any = true
        }
        return any
    }
}
