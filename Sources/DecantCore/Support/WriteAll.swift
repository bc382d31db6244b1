#if canImport(Glibc)
import Glibc
#endif

/// Writes every byte of a buffer to a file descriptor.
package enum WriteAll {
    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR; 0, or the errno that stopped it.
    package static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }
}
