import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DecantCore
import DecantFetch

/// Reads a job file line by line from a byte offset, with bounded memory: one chunk and one line
/// (at most `maxLineBytes`) at a time, so a file of a million URLs is never read at once.
/// A `*.jsonl` file holds one JSON object per line (`JobLine.parseJSON`), any other file plain URLs.
public final class JobFileReader {
    /// One line of a job file and the byte offset just after it (where to resume).
    public struct Line: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A URL and the options its line gave (defaults for a plain line without a prefix).
            case url(String, options: JobOptions = JobOptions())
            /// A comment or a blank line.
            case skip
            case malformed(text: String, reason: String)
        }
        public var kind: Kind
        /// 1-based line number in the file.
        public var number: Int
        public var endOffset: Int
    }

    /// Why a job file cannot be read at all.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case binary(path: String)
        /// A symbolic link, FIFO, folder, socket or device: never opened through, never read.
        case notRegular(path: String, kind: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read job file \(path): \(reason)"
            case .binary(let path): "job file \(path) is binary (contains NUL bytes), not a list of URLs"
            case .notRegular(let path, let kind):
                "\(path) is a \(kind), not a regular file: refused without reading it"
            }
        }
    }

    public static let defaultMaxLineBytes = 8192
    static let chunkSize = 64 * 1024

    public let path: String
    public let maxLineBytes: Int
    /// Whether lines are JSON objects (the file's name ends in `.jsonl`).
    public let isJSONL: Bool
    /// The output format names a JSONL line's `formats` may list.
    public let formats: Set<String>
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var offset: Int
    private var lineNumber: Int
    private var atEOF = false

    /// Opens `path` at `offset` (the start of line `linesBefore + 1`); refuses binary files.
    public init(path: String, offset: Int = 0, linesBefore: Int = 0,
                maxLineBytes: Int = JobFileReader.defaultMaxLineBytes,
                formats: Set<String> = Set(OutputConfig.Format.allCases.map(\.rawValue))) throws(Failure) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.isJSONL = Self.isJSONL(name: (path as NSString).lastPathComponent)
        self.formats = formats
        self.offset = offset
        self.lineNumber = linesBefore
        // O_NOFOLLOW: a link is refused, not followed; O_NONBLOCK: a FIFO cannot hang the open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            let e = errno
            var st = stat()
            if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                throw .notRegular(path: path, kind: Self.kind(st.st_mode))
            }
            throw .unreadable(path: path, reason: String(cString: strerror(e)))
        }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let e = errno
            close(fd)
            throw .unreadable(path: path, reason: String(cString: strerror(e)))
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            throw .notRegular(path: path, kind: Self.kind(st.st_mode))
        }
        // From here on `deinit` closes the descriptor, also when the init throws: closing it here too
        // would close whatever another thread opened under the same number meanwhile.
        self.fd = fd
        if offset == 0 {
            fill()
            if buffer.contains(0) { throw .binary(path: path) }
        } else if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { close(fd) }

    /// Whether a job file's name marks it as JSONL: `*.jsonl`, also with the `.N` a claim adds to a taken name.
    public static func isJSONL(name: String) -> Bool {
        var base = name.lowercased()
        if let dot = base.lastIndex(of: "."), base[base.index(after: dot)...].allSatisfy(\.isNumber),
           base.index(after: dot) < base.endIndex {
            base = String(base[..<dot])
        }
        return base.hasSuffix(".jsonl")
    }

    /// What a `stat` mode says the file is, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: "symbolic link"
        case S_IFDIR: "folder"
        case S_IFIFO: "FIFO (named pipe)"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFREG: "regular file"
        default: "special file"
        }
    }

    /// The next line, or nil at the end of the file.
    public func next() throws(Failure) -> Line? {
        var line: [UInt8] = []
        var tooLong = false
        var sawAny = false
        while true {
            if bufferStart >= buffer.count {
                buffer.removeAll(keepingCapacity: true)
                bufferStart = 0
                if atEOF { break }
                try fillChecked()
                if buffer.isEmpty { break }
            }
            sawAny = true
            let end = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n"))
            let stop = end ?? buffer.count
            let count = stop - bufferStart
            if !tooLong {
                if line.count + count > maxLineBytes {
                    tooLong = true
                    line.append(contentsOf: buffer[bufferStart..<min(stop, bufferStart + max(0, maxLineBytes - line.count))])
                } else {
                    line.append(contentsOf: buffer[bufferStart..<stop])
                }
            }
            offset += count
            if let end {
                offset += 1
                bufferStart = end + 1
                return finish(line, tooLong: tooLong)
            }
            bufferStart = stop
        }
        if !sawAny && line.isEmpty { return nil }
        return finish(line, tooLong: tooLong)
    }

    private func finish(_ bytes: [UInt8], tooLong: Bool) -> Line {
        lineNumber += 1
        let kind: Line.Kind
        if tooLong {
            let head = String(decoding: bytes.prefix(80), as: UTF8.self)
            kind = .malformed(text: head + "…", reason: "line longer than \(maxLineBytes) bytes")
        } else {
            kind = isJSONL ? JobLine.parseJSON(bytes, formats: formats) : JobLine.parse(bytes)
        }
        return Line(kind: kind, number: lineNumber, endOffset: offset)
    }

    private func fillChecked() throws(Failure) {
        let n = readChunk()
        if n < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    }

    private func fill() { _ = readChunk() }

    private func readChunk() -> Int {
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        var n: Int
        repeat { n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, Self.chunkSize) } } while n < 0 && errno == EINTR
        if n <= 0 { atEOF = true; return n }
        buffer.append(contentsOf: chunk[0..<n])
        return n
    }
}
