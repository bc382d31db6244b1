import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a WARC file from an offset, read in fixed chunks: as stored, or inflated one gzip
/// member at a time, so memory stays bounded whatever the file's size.
final class WARCInput {
    enum Compression: Sendable { case none, gzip }

    let path: String
    let compression: Compression
    private let fd: Int32
    private static let chunk = 256 * 1024
    /// Bytes read from the file: compressed input (gzip) or the file's bytes (plain).
    private let raw: UnsafeMutablePointer<UInt8>
    /// Inflated output of one `inflate` call.
    private let out: UnsafeMutablePointer<UInt8>
    /// Heap-allocated so its address never moves (zlib's state points back at it).
    private let stream: UnsafeMutablePointer<z_stream>
    /// Unread bytes are `buffer[head...]`.
    private var buffer: [UInt8] = []
    private var head = 0
    /// The file offset of the next `pread`.
    private var readOffset: Int
    /// Plain: the file offset of `buffer[head]`.
    private var plainPosition: Int
    /// gzip: where the member being inflated starts, and whether it has ended.
    private(set) var memberStart: Int
    private(set) var memberEnded = true

    /// Opens `path` and reads from `offset`, which must start a gzip member or a `WARC/` line.
    init(path: String, offset: Int = 0) throws(WARCError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .io(path: path, operation: "open", errno: errno) }
        var magic = [UInt8](repeating: 0, count: 5)
        let n = pread(fd, &magic, 5, off_t(offset))
        if n < 0 { let e = errno; close(fd); throw .io(path: path, operation: "read", errno: e) }
        let isGzip = n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B
        if !isGzip && n > 0 && Array(magic.prefix(n)) != Array("WARC/".utf8.prefix(n)) {
            close(fd)
            throw .offsetNotAtRecord(offset: offset)
        }
        self.path = path
        self.fd = fd
        compression = isGzip ? .gzip : .none
        raw = .allocate(capacity: Self.chunk)
        out = .allocate(capacity: Self.chunk)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        readOffset = offset
        plainPosition = offset
        memberStart = offset
        if isGzip {
            // Fails only when zlib cannot allocate its state.
            precondition(czlib_inflate_init(stream) == Z_OK, "zlib inflateInit failed")
        }
    }

    deinit {
        if compression == .gzip { inflateEnd(stream) }
        close(fd)
        raw.deallocate()
        out.deallocate()
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The file offset of the compressed byte zlib reads next.
    private var nextInOffset: Int { readOffset - Int(stream.pointee.avail_in) }

    /// Where the next unread byte's unit starts: its gzip member, or the byte itself in a plain file.
    var unitOffset: Int {
        switch compression {
        case .none: return plainPosition
        case .gzip: return head < buffer.count || !memberEnded ? memberStart : nextInOffset
        }
    }

    /// True when every byte of the current gzip member has been read (always false for plain files).
    var atMemberEnd: Bool { compression == .gzip && memberEnded && head == buffer.count }

    // MARK: Reading

    /// The next byte without consuming it; nil at the end of the file.
    func peek() throws(WARCError) -> UInt8? {
        while head == buffer.count { if try !fill() { return nil } }
        return buffer[head]
    }

    /// Consumes one byte (after `peek` returned it).
    func dropFirst() { consume(1) }

    /// The next line without its `\n` or `\r\n`; nil at the end of the file. Throws `badHeader`
    /// (at `record`) when no line end comes within `limit` bytes.
    func readLine(limit: Int, record: Int) throws(WARCError) -> [UInt8]? {
        var searched = 0
        while true {
            let start = head + searched
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                guard start < b.count, let p = memchr(b.baseAddress! + start, 0x0A, b.count - start) else { return nil }
                return b.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
            }
            if let end = found {
                var lineEnd = end
                if lineEnd > head && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = Array(buffer[head..<lineEnd])
                consume(end + 1 - head)
                return line
            }
            searched = buffer.count - head
            if searched > limit {
                throw .badHeader(offset: record, line: String(decoding: buffer[head..<min(buffer.count, head + 80)], as: UTF8.self) + "…")
            }
            if try !fill() {
                if head == buffer.count { return nil }
                let line = Array(buffer[head...])
                consume(buffer.count - head)
                return line
            }
        }
    }

    /// Exactly `count` bytes; nil when the file ends first.
    func read(_ count: Int) throws(WARCError) -> Data? {
        var data = Data(capacity: count)
        while data.count < count {
            if head == buffer.count, try !fill() { return nil }
            let take = min(count - data.count, buffer.count - head)
            buffer.withUnsafeBufferPointer { b in data.append(b.baseAddress! + head, count: take) }
            consume(take)
        }
        return data
    }

    /// Discards `count` bytes; false when the file ends first.
    func skip(_ count: Int) throws(WARCError) -> Bool {
        var left = count
        while left > 0 {
            if head == buffer.count, try !fill() { return false }
            let take = min(left, buffer.count - head)
            consume(take)
            left -= take
        }
        return true
    }

    private func consume(_ n: Int) {
        head += n
        if compression == .none { plainPosition += n }
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1 << 20 && head * 2 >= buffer.count {
            buffer.removeSubrange(0..<head)
            head = 0
        }
    }

    // MARK: Recovery

    /// Moves to `offset` and forgets everything buffered.
    func seek(to offset: Int) {
        buffer.removeAll(keepingCapacity: true)
        head = 0
        readOffset = offset
        plainPosition = offset
        stream.pointee.avail_in = 0
        memberEnded = true
        memberStart = offset
    }

    /// After a bad record starting at `record`: moves to the next gzip member after it, or (plain)
    /// to the next `WARC/1.` line after it. False when none is left.
    func resynchronize(after record: Int) throws(WARCError) -> Bool {
        seek(to: record + 1)
        switch compression {
        case .gzip: return try scanForMember()
        case .none: return try scanForVersionLine()
        }
    }

    private func scanForMember() throws(WARCError) -> Bool {
        while true {
            if stream.pointee.avail_in < 3, try !readRaw(), stream.pointee.avail_in < 3 { return false }
            let s = stream.pointee
            let n = Int(s.avail_in)
            let base = s.next_in!
            var i = 0
            while i + 2 < n {
                if base[i] == 0x1F && base[i + 1] == 0x8B && base[i + 2] == 0x08 {
                    stream.pointee.next_in = base + i
                    stream.pointee.avail_in = uInt(n - i)
                    memberEnded = true
                    return true
                }
                i += 1
            }
            stream.pointee.next_in = base + (n - 2)
            stream.pointee.avail_in = 2
            if try !readRaw() { return false }
        }
    }

    private func scanForVersionLine() throws(WARCError) -> Bool {
        let pattern = Array("\nWARC/1.".utf8)
        while true {
            if buffer.count - head < pattern.count, try !fill() { return false }
            var i = head
            while i + pattern.count <= buffer.count {
                if buffer[i] == 0x0A && buffer[i..<(i + pattern.count)].elementsEqual(pattern) {
                    consume(i + 1 - head)
                    return true
                }
                i += 1
            }
            consume(max(0, buffer.count - head - (pattern.count - 1)))
            if try !fill() { return false }
        }
    }

    // MARK: Filling

    /// Appends more bytes to the buffer; false at the end of the file. gzip: never past a member's end.
    private func fill() throws(WARCError) -> Bool {
        switch compression {
        case .none:
            let n = pread(fd, out, Self.chunk, off_t(readOffset))
            if n < 0 { throw .io(path: path, operation: "read", errno: errno) }
            if n == 0 { return false }
            readOffset += n
            buffer.append(contentsOf: UnsafeBufferPointer(start: out, count: n))
            return true
        case .gzip:
            return try inflateMore()
        }
    }

    private func inflateMore() throws(WARCError) -> Bool {
        if memberEnded {
            if stream.pointee.avail_in < 2 { _ = try readRaw() }
            let s = stream.pointee
            if s.avail_in == 0 { return false }
            let start = nextInOffset
            guard s.avail_in >= 2, s.next_in[0] == 0x1F, s.next_in[1] == 0x8B else {
                throw .corruptGzip(offset: start, reason: "bytes after a member are not a gzip member")
            }
            inflateReset(stream)
            memberStart = start
            memberEnded = false
        }
        while true {
            if stream.pointee.avail_in == 0, try !readRaw() {
                throw .corruptGzip(offset: memberStart, reason: "the file ends inside the member")
            }
            stream.pointee.next_out = out
            stream.pointee.avail_out = uInt(Self.chunk)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = Self.chunk - Int(stream.pointee.avail_out)
            if produced > 0 { buffer.append(contentsOf: UnsafeBufferPointer(start: out, count: produced)) }
            if status == Z_STREAM_END { memberEnded = true; return true }
            if status != Z_OK && !(status == Z_BUF_ERROR && produced == 0) {
                let why = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corruptGzip(offset: memberStart, reason: why)
            }
            if produced > 0 { return true }
        }
    }

    /// Moves the unread compressed bytes to the front and reads more behind them; false at the end.
    private func readRaw() throws(WARCError) -> Bool {
        let left = Int(stream.pointee.avail_in)
        if left > 0, let from = stream.pointee.next_in, from != raw { memmove(raw, from, left) }
        let n = pread(fd, raw + left, Self.chunk - left, off_t(readOffset))
        if n < 0 { throw .io(path: path, operation: "read", errno: errno) }
        readOffset += n
        stream.pointee.next_in = raw
        stream.pointee.avail_in = uInt(left + n)
        return n > 0
    }
}
