import Foundation

/// Reads WARC/1.0 and 1.1 records one at a time from a plain or gzipped file, in bounded memory.
///
/// A bad record is reported as `.skipped` and reading goes on at the next gzip member (or the next
/// `WARC/1.` line of a plain file); only I/O errors end the file.
public final class WARCReader {
    /// One step of reading: a record, or a record that could not be read and was skipped.
    public enum Item: Sendable {
        case record(WARCRecord)
        case skipped(WARCError)
    }

    /// The bounds of one record.
    public struct Limits: Sendable {
        /// Blocks longer than this are skipped unread (counted as `recordTooLarge`).
        public var maxBlockBytes: Int
        /// A record's header block longer than this is malformed.
        public var maxHeaderBytes: Int

        public init(maxBlockBytes: Int = 64 << 20, maxHeaderBytes: Int = 256 << 10) {
            self.maxBlockBytes = maxBlockBytes; self.maxHeaderBytes = maxHeaderBytes
        }
    }

    public let path: String
    public let limits: Limits
    private let input: WARCInput
    private var finished = false

    /// Opens `path` at `offset`, which must be a record's start (a gzip member's, as Common Crawl's index gives it).
    public init(path: String, offset: Int = 0, limits: Limits = Limits()) throws(WARCError) {
        self.path = path
        self.limits = limits
        input = try WARCInput(path: path, offset: offset)
    }

    /// Where the next record starts (after a record: the end of the one just read, trailer included).
    public var nextOffset: Int { input.unitOffset }

    /// True when the file is gzip-compressed.
    public var isGzip: Bool { input.compression == .gzip }

    /// The next record or skipped record; nil at the end of the file.
    public func next() throws(WARCError) -> Item? {
        if finished { return nil }
        var start = input.unitOffset
        do {
            // Blank lines between records are tolerated.
            while let byte = try input.peek(), byte == 0x0D || byte == 0x0A { input.dropFirst() }
            start = input.unitOffset
            guard let record = try readRecord(at: start) else { finished = true; return nil }
            return .record(record)
        } catch {
            if case .io = error { throw error }
            if !(try input.resynchronize(after: start)) { finished = true }
            return .skipped(error)
        }
    }

    private func readRecord(at start: Int) throws(WARCError) -> WARCRecord? {
        guard let first = try input.readLine(limit: 64, record: start) else { return nil }
        let version = String(decoding: first, as: UTF8.self)
        guard version == "WARC/1.0" || version == "WARC/1.1" else { throw .badVersion(offset: start, line: version) }
        var headers = WARCHeaders()
        var headerBytes = 0
        while true {
            guard let line = try input.readLine(limit: limits.maxHeaderBytes, record: start) else {
                throw .truncated(offset: start)
            }
            headerBytes += line.count
            if headerBytes > limits.maxHeaderBytes {
                throw .badHeader(offset: start, line: "(header block over \(limits.maxHeaderBytes) bytes)")
            }
            if line.isEmpty { break }
            if line[0] == 0x20 || line[0] == 0x09, let last = headers.fields.last {
                // A WARC/1.0 continuation line.
                var fields = headers.fields
                fields[fields.count - 1].value = last.value + " " + String(decoding: line, as: UTF8.self).trimmed
                headers = WARCHeaders(fields)
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
                throw .badHeader(offset: start, line: String(decoding: line.prefix(80), as: UTF8.self))
            }
            headers.append(String(decoding: line[..<colon], as: UTF8.self).trimmed,
                           String(decoding: line[(colon + 1)...], as: UTF8.self).trimmed)
        }
        guard let lengthField = headers["Content-Length"], let length = Int(lengthField), length >= 0 else {
            throw .missingField(offset: start, name: "Content-Length")
        }
        guard let type = headers["WARC-Type"], !type.isEmpty else { throw .missingField(offset: start, name: "WARC-Type") }
        if length > limits.maxBlockBytes {
            guard try input.skip(length) else { throw .truncated(offset: start) }
            try readTrailer(start)
            throw .recordTooLarge(offset: start, length: length, limit: limits.maxBlockBytes)
        }
        guard let block = try input.read(length) else { throw .truncated(offset: start) }
        try readTrailer(start)
        return WARCRecord(version: version, headers: headers, block: block, offset: start)
    }

    /// The `\r\n\r\n` after a block (a bare `\n\n` is accepted; a gzip member may end without it).
    private func readTrailer(_ start: Int) throws(WARCError) {
        var newlines = 0
        while newlines < 2 {
            if input.atMemberEnd { return }
            guard let byte = try input.peek() else {
                if newlines == 0 { return }   // the last record of a file whose trailer was cut: tolerated
                return
            }
            switch byte {
            case 0x0D: input.dropFirst()
            case 0x0A: input.dropFirst(); newlines += 1
            default: throw .missingTrailer(offset: start)
            }
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
