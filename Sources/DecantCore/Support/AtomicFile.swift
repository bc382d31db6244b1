import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers never see them half-written: temp file, fsync, rename.
public enum AtomicFile {
    public enum Failure: Error, CustomStringConvertible {
        case io(path: String, operation: String, errno: Int32)
        public var description: String {
            switch self {
            case .io(let path, let op, let e): "\(op) \(path): \(String(cString: strerror(e)))"
            }
        }
    }

    /// Writes `data` to `destination` via a temp file in `tempDirectory` (default: the destination's folder).
    ///
    /// The temp directory must be on the same file system. With `durable`, the file and the
    /// destination folder are fsynced, so the rename survives a power cut; `syncFolder: false`
    /// leaves the folder's fsync to a later write into the same folder (several files, one folder sync).
    public static func write(_ data: Data, to destination: String, tempDirectory: String? = nil,
                             durable: Bool = true, syncFolder: Bool = true) throws(Failure) {
        _ = try write(to: destination, tempDirectory: tempDirectory, durable: durable, syncFolder: syncFolder) {
            (file: Writer) throws(Failure) -> Bool in
            try file.write(data)
            return true
        }
    }

    /// Streams a file into place the same way: `body` writes it through `Writer` (any length, never
    /// all in memory) and returns true to rename it to `destination`, false to discard it.
    /// Returns what `body` returned.
    public static func write(to destination: String, tempDirectory: String? = nil, durable: Bool = true,
                             syncFolder: Bool = true,
                             _ body: (Writer) throws(Failure) -> Bool) throws(Failure) -> Bool {
        let folder = (destination as NSString).deletingLastPathComponent
        let tmpFolder = tempDirectory ?? folder
        let name = tempStem((destination as NSString).lastPathComponent)
        let tmp = "\(tmpFolder)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw .io(path: tmp, operation: "create", errno: errno) }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        let keep: Bool
        do {
            let writer = Writer(fd: fd, path: tmp)
            keep = try body(writer)
            if keep { try writer.flush() }
        } catch {
            close(fd)
            throw error
        }
        if !keep { close(fd); return false }
        if durable && fsync(fd) != 0 { let e = errno; close(fd); throw .io(path: tmp, operation: "fsync", errno: e) }
        close(fd)
        if rename(tmp, destination) != 0 { throw .io(path: destination, operation: "rename", errno: errno) }
        ok = true
        if durable && syncFolder { syncDirectory(folder) }
        return true
    }

    /// The open temp file of a streamed `write`, buffered; used only inside its body.
    public final class Writer {
        fileprivate let fd: Int32
        fileprivate let path: String
        private var buffer: [UInt8] = []
        /// Bytes kept before they are written out.
        static let bufferBytes = 64 * 1024

        fileprivate init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }

        /// Appends `data`.
        public func write(_ data: Data) throws(Failure) {
            buffer.append(contentsOf: data)
            if buffer.count >= Self.bufferBytes { try flush() }
        }

        /// Appends `text` as UTF-8.
        public func write(_ text: String) throws(Failure) {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= Self.bufferBytes { try flush() }
        }

        /// Writes out the buffer (retrying short writes and EINTR).
        fileprivate func flush() throws(Failure) {
            let writeErrno: Int32 = buffer.withUnsafeBytes { raw -> Int32 in
                WriteAll.write(fd, raw)
            }
            buffer.removeAll(keepingCapacity: true)
            if writeErrno != 0 { throw .io(path: path, operation: "write", errno: writeErrno) }
        }
    }

    /// Temp names carry at most this many bytes of the destination's name, so that a destination
    /// name near the file system's limit (255 bytes) still has a temp name that fits.
    package static let maxStemBytes = 96

    /// The destination name, cut to `maxStemBytes` at a character boundary.
    package static func tempStem(_ name: String) -> String {
        name.utf8.count > maxStemBytes ? name.prefix(utf8Bytes: maxStemBytes) : name
    }

    /// fsyncs a directory so that renames into it are durable.
    public static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
