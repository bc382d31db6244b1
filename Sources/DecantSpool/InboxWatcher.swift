import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Notices files arriving in inbox/ at once through inotify (where the kernel offers it), so the
/// service need not wait for its next full rescan. Without inotify it reports nothing and the
/// scheduled rescans alone find new files.
///
/// The descriptor is watched by a Dispatch read source (epoll): `onChange` runs when events arrive,
/// never on a timer. The source owns the descriptor and closes it when cancelled.
package final class InboxWatcher: @unchecked Sendable {  // `source` is set once in init; Dispatch sources are thread-safe
    private let source: (any DispatchSourceRead)?

    package init(folder: String, onChange: @escaping @Sendable () -> Void) {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { source = nil; return }
        // Not IN_CREATE: a file just created is still empty, and with `queue.stableSeconds` 0 it would
        // be claimed before its writer wrote a line. Entries that are never closed after writing
        // (folders, FIFOs, links) are found by the next rescan.
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB)
        guard inotify_add_watch(fd, folder, mask) >= 0 else { close(fd); source = nil; return }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "decant.inbox"))
        source.setEventHandler {
            if Self.drain(fd) { onChange() }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
        self.source = source
        #else
        source = nil
        #endif
    }

    deinit { source?.cancel() }

    package var isActive: Bool { source != nil }

    /// Reads every pending event (bounded by the buffer per read); true when there was any.
    private static func drain(_ fd: Int32) -> Bool {
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
