#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts page bytes to well-formed UTF-8 (invalid sequences become U+FFFD).
public enum Transcoder {
    /// Returns `bytes` (after `charset.bomLength`) as valid UTF-8 without control characters
    /// other than tab, line feed and carriage return (libxml2 stops at a NUL byte).
    public static func toUTF8(_ bytes: UnsafeRawBufferPointer, charset: Charset) -> [UInt8] {
        var out = decode(bytes, charset: charset)
        replaceControls(&out)
        return out
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, charset: Charset) -> [UInt8] {
        let body = UnsafeRawBufferPointer(rebasing: bytes[min(charset.bomLength, bytes.count)...])
        if charset.name == "UTF-8" {
            if charset.bytesAreValidUTF8 || UTF8Validation.isValid(body) { return Array(body) }
            return Array(String(decoding: body, as: UTF8.self).utf8)
        }
        if let converted = iconvConvert(body, from: charset.name) { return converted }
        // An encoding iconv does not know: read as windows-1252, which maps every byte.
        return iconvConvert(body, from: "WINDOWS-1252") ?? Array(String(decoding: body, as: UTF8.self).utf8)
    }

    /// Turns C0 control bytes (except tab, LF, CR) into spaces.
    static func replaceControls(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBufferPointer { buf in
            for k in buf.indices where buf[k] < 32 {
                let b = buf[k]
                if b != 9 && b != 10 && b != 13 { buf[k] = 32 }
            }
        }
    }

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Converts with iconv; nil when iconv has no converter for `from`.
    static func iconvConvert(_ input: UnsafeRawBufferPointer, from: String) -> [UInt8]? {
        let cd = iconv_open("UTF-8", from)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        guard let inBase = input.baseAddress, input.count > 0 else { return [] }
        var out = [UInt8]()
        out.reserveCapacity(input.count * 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var inPtr = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        chunk.withUnsafeMutableBytes { chunkBuf in
            let chunkBase = chunkBuf.baseAddress!.assumingMemoryBound(to: CChar.self)
            while inLeft > 0 {
                var outPtr: UnsafeMutablePointer<CChar>? = chunkBase
                var outLeft = chunkBuf.count
                var inOpt: UnsafeMutablePointer<CChar>? = inPtr
                let r = iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
                inPtr = inOpt!
                let produced = chunkBuf.count - outLeft
                out.append(contentsOf: UnsafeRawBufferPointer(start: chunkBuf.baseAddress, count: produced))
                if r == -1 {
                    let e = errno
                    if e == E2BIG { continue }
                    // EILSEQ (invalid byte) or EINVAL (truncated at the end): mark it and move on.
                    out.append(contentsOf: replacement)
                    inPtr += 1
                    inLeft -= 1
                    if e != EILSEQ && e != EINVAL { break }
                }
            }
        }
        return out
    }
}
