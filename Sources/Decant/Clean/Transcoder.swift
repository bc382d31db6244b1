#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts page bytes to well-formed UTF-8 (invalid sequences become U+FFFD).
public enum Transcoder {
    /// Returns `bytes` (after `charset.bomLength`) as valid UTF-8 without control characters
    /// other than tab, line feed and carriage return (libxml2 stops at a NUL byte) and without
    /// the noncharacters U+FFFE and U+FFFF (libxml2 ends comments and literals at them).
    public static func toUTF8(_ bytes: UnsafeRawBufferPointer, charset: Charset) -> [UInt8] {
        var out = decode(bytes, charset: charset)
        replaceControls(&out)
        return out
    }

    /// What `toUTF8` returns, or nil when that is exactly `bytes` after the byte-order mark
    /// (the common case: valid UTF-8 needing no replacement), so the caller need not copy.
    static func toUTF8IfChanged(_ bytes: UnsafeRawBufferPointer, charset: Charset) -> [UInt8]? {
        if charset.name == "UTF-8" {
            let body = UnsafeRawBufferPointer(rebasing: bytes[min(charset.bomLength, bytes.count)...])
            if (charset.bytesAreValidUTF8 || UTF8Validation.isValid(body)) && !needsReplacements(body) { return nil }
        }
        return toUTF8(bytes, charset: charset)
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

    /// Turns C0 control bytes (except tab, LF, CR) into spaces and U+FFFE, U+FFFF into U+FFFD.
    static func replaceControls(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBufferPointer { buf in
            let n = buf.count
            for k in buf.indices where buf[k] < 32 || buf[k] == 0xEF {
                let b = buf[k]
                if b == 0xEF {
                    if k + 2 < n && buf[k + 1] == 0xBF && buf[k + 2] >= 0xBE { buf[k + 2] = 0xBD }
                } else if b != 9 && b != 10 && b != 13 {
                    buf[k] = 32
                }
            }
        }
    }

    /// True when `replaceControls` would change valid UTF-8 `bytes`.
    static func needsReplacements(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        for k in 0..<n {
            let b = bytes[k]
            if b < 32 {
                if b != 9 && b != 10 && b != 13 { return true }
            } else if b == 0xEF && k + 2 < n && bytes[k + 1] == 0xBF && bytes[k + 2] >= 0xBE {
                return true
            }
        }
        return false
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
