/// Why the HTTP message in a `response` record cannot be read.
public enum HTTPPayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block does not start with an `HTTP/x` status line.
    case badStatusLine(String)
    /// The header block has no end, or a line without a colon.
    case badHeaders
    /// A chunk size line that is not hexadecimal, or a body that ends inside a chunk.
    case badChunk(at: Int)
    /// A `Content-Encoding` this reader does not decode (such as `br`).
    case unsupportedEncoding(String)
    /// A compressed body that does not inflate; `reason` is zlib's message.
    case corruptEncoding(String)
    /// The decoded body would exceed the limit.
    case bodyTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .badStatusLine(let line): "not an HTTP status line: \(line.debugDescription)"
        case .badHeaders: "unterminated or malformed HTTP headers"
        case .badChunk(let at): "bad chunked encoding at byte \(at) of the body"
        case .unsupportedEncoding(let e): "unsupported Content-Encoding \(e)"
        case .corruptEncoding(let why): "compressed body does not inflate: \(why)"
        case .bodyTooLarge(let limit): "decoded body exceeds \(limit) bytes"
        }
    }
}
