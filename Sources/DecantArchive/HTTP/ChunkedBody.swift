import Foundation

/// HTTP/1.1 chunked transfer coding.
enum ChunkedBody {
    /// The body without its chunk framing, at most `limit` bytes. A body that does not start with a
    /// chunk size is returned as it is (some archives store de-chunked bodies under the header).
    static func decode(_ data: Data, limit: Int) throws(HTTPPayloadError) -> Data {
        let bytes = [UInt8](data)
        var out = Data()
        var i = 0
        var first = true
        while true {
            guard let nl = bytes[i...].firstIndex(of: 0x0A) else {
                if first { return data }
                throw .badChunk(at: i)
            }
            var sizeEnd = nl
            if let semi = bytes[i..<nl].firstIndex(of: UInt8(ascii: ";")) { sizeEnd = semi }
            let field = String(decoding: bytes[i..<sizeEnd], as: UTF8.self).trimmed
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !field.isEmpty, field.count <= 16, let size = Int(field, radix: 16), size >= 0 else {
                if first { return data }
                throw .badChunk(at: i)
            }
            first = false
            i = nl + 1
            if size == 0 { return out }   // trailers, if any, are dropped
            guard size <= bytes.count - i else { throw .badChunk(at: i) }
            if out.count + size > limit { throw .bodyTooLarge(limit: limit) }
            out.append(contentsOf: bytes[i..<(i + size)])
            i += size
            if i < bytes.count && bytes[i] == 0x0D { i += 1 }
            if i < bytes.count && bytes[i] == 0x0A { i += 1 }
            if i >= bytes.count { return out }   // the last-chunk line is missing: keep what came
        }
    }
}
