import CZlib
import Foundation

/// zlib in one call: inflating a capped body, and deflating one gzip member.
package enum Inflate {
    /// Inflates gzip or zlib data (concatenated members too), failing past `limit` output bytes.
    static func decompress(_ data: Data, limit: Int) throws(HTTPPayloadError) -> Data {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        guard czlib_inflate_init(stream) == Z_OK else { throw .corruptEncoding("inflateInit failed") }
        defer { inflateEnd(stream) }
        var out = Data()
        let chunkSize = 64 * 1024
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        var failure: HTTPPayloadError?
        var status: Int32 = Z_OK
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            repeat {
                stream.pointee.next_out = chunk
                stream.pointee.avail_out = uInt(chunkSize)
                status = inflate(stream, Z_NO_FLUSH)
                if status != Z_OK && status != Z_STREAM_END {
                    failure = .corruptEncoding(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                    return
                }
                let produced = chunkSize - Int(stream.pointee.avail_out)
                if out.count + produced > limit { failure = .bodyTooLarge(limit: limit); return }
                out.append(chunk, count: produced)
                if status == Z_STREAM_END && stream.pointee.avail_in > 0 && stream.pointee.next_in[0] == 0x1F {
                    inflateReset(stream)
                    status = Z_OK
                }
            } while status != Z_STREAM_END && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0)
        }
        if let failure { throw failure }
        if status != Z_STREAM_END { throw .corruptEncoding("truncated stream") }
        return out
    }

    /// `data` as one complete gzip member.
    package static func gzipMember(_ data: Data, level: Int32 = 6) -> Data {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        // Fails only when zlib cannot allocate its state.
        precondition(czlib_deflate_init_gzip(stream, level) == Z_OK, "zlib deflateInit failed")
        defer { deflateEnd(stream) }
        var out = Data()
        let chunkSize = 64 * 1024
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            var status: Int32 = Z_OK
            repeat {
                stream.pointee.next_out = chunk
                stream.pointee.avail_out = uInt(chunkSize)
                status = deflate(stream, Z_FINISH)
                out.append(chunk, count: chunkSize - Int(stream.pointee.avail_out))
            } while status == Z_OK || status == Z_BUF_ERROR && stream.pointee.avail_out == 0
        }
        return out
    }
}
