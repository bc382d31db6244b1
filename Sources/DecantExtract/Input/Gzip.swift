import CZlib
import Foundation

/// gzip/zlib inflation with an output cap, for `.html.gz` pages.
public enum Gzip {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case corrupt(String)
        case tooLarge(limit: Int)
        public var description: String {
            switch self {
            case .corrupt(let why): "corrupt compressed data: \(why)"
            case .tooLarge(let limit): "decompressed data exceeds \(limit) bytes"
            }
        }
    }

    /// True when `data` starts with the gzip magic bytes.
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// Inflates gzip or zlib data, failing once the output would exceed `limit` bytes.
    public static func decompress(_ data: Data, limit: Int = .max) throws(Failure) -> Data {
        var stream = z_stream()
        guard czlib_inflate_init(&stream) == Z_OK else { throw .corrupt("inflateInit failed") }
        defer { inflateEnd(&stream) }
        var out = Data()
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var status: Int32 = Z_OK
        var failure: Failure?
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            chunk.withUnsafeMutableBufferPointer { buf in
                repeat {
                    stream.next_out = buf.baseAddress
                    stream.avail_out = uInt(buf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    if status != Z_OK && status != Z_STREAM_END {
                        failure = .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                        return
                    }
                    let produced = buf.count - Int(stream.avail_out)
                    if out.count + produced > limit { failure = .tooLarge(limit: limit); return }
                    out.append(buf.baseAddress!, count: produced)
                    // A gzip file may hold several members: start the next one.
                    if status == Z_STREAM_END && stream.avail_in > 0 {
                        inflateReset(&stream)
                        status = Z_OK
                    }
                } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
        if let failure { throw failure }
        if status != Z_STREAM_END { throw .corrupt("truncated stream") }
        return out
    }
}
