import Foundation

/// What went wrong reading a WARC file, and where (`offset`: the record's start, or its gzip member's).
public enum WARCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be opened or read; `errno` is the system's code.
    case io(path: String, operation: String, errno: Int32)
    /// `--offset` does not point at a gzip member (or, in a plain file, a `WARC/` line).
    case offsetNotAtRecord(offset: Int)
    /// A gzip member that does not inflate; `reason` is zlib's message.
    case corruptGzip(offset: Int, reason: String)
    /// The first line is not `WARC/1.0` or `WARC/1.1`.
    case badVersion(offset: Int, line: String)
    /// A header line without a colon, or a header block longer than the limit.
    case badHeader(offset: Int, line: String)
    /// `Content-Length` or `WARC-Type` is missing, or the length is not a number.
    case missingField(offset: Int, name: String)
    /// The record's block is larger than the reader keeps in memory; it was skipped.
    case recordTooLarge(offset: Int, length: Int, limit: Int)
    /// The file ends inside the record.
    case truncated(offset: Int)
    /// The block is not followed by the blank line the format requires (its length is wrong).
    case missingTrailer(offset: Int)

    public var description: String {
        switch self {
        case .io(let path, let op, let e): "\(op) \(path): \(String(cString: strerror(e)))"
        case .offsetNotAtRecord(let o): "offset \(o) is not the start of a record (gzip member or WARC/ line)"
        case .corruptGzip(let o, let why): "gzip member at \(o) does not inflate: \(why)"
        case .badVersion(let o, let line): "record at \(o): not a WARC/1.0 or WARC/1.1 record (\(line.debugDescription))"
        case .badHeader(let o, let line): "record at \(o): bad header line \(line.debugDescription)"
        case .missingField(let o, let name): "record at \(o): no valid \(name)"
        case .recordTooLarge(let o, let n, let limit): "record at \(o): \(n) bytes, over the \(limit)-byte limit"
        case .truncated(let o): "record at \(o): the file ends inside it"
        case .missingTrailer(let o): "record at \(o): no blank line after its block (wrong Content-Length?)"
        }
    }
}
