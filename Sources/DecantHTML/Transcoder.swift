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
    package static func toUTF8IfChanged(_ bytes: UnsafeRawBufferPointer, charset: Charset) -> [UInt8]? {
        if charset.name == "UTF-8" {
            let body = UnsafeRawBufferPointer(rebasing: bytes[min(charset.bomLength, bytes.count)...])
            if (charset.bytesAreValidUTF8 || UTF8Validation.isValid(body)) && !needsReplacements(body) { return nil }
        }
        return toUTF8(bytes, charset: charset)
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, charset: Charset) -> [UInt8] {
        let body = UnsafeRawBufferPointer(rebasing: bytes[min(charset.bomLength, bytes.count)...])
        switch charset.encoding {
        case .utf8:
            if charset.bytesAreValidUTF8 || UTF8Validation.isValid(body) { return Array(body) }
            return Array(String(decoding: body, as: UTF8.self).utf8)
        case .replacement:
            return body.isEmpty ? [] : replacement
        case .xUserDefined:
            return userDefined(body)
        default:
            if let name = iconvNames[charset.encoding], let converted = iconvConvert(body, from: name) { return converted }
            // A converter this iconv lacks: read as windows-1252, which maps every byte.
            return iconvConvert(body, from: "CP1252") ?? Array(String(decoding: body, as: UTF8.self).utf8)
        }
    }

    /// The iconv converter for each encoding of the Encoding Standard: the one whose mapping is the
    /// standard's, or its closest superset. `replacement` and `x-user-defined` are decoded here.
    package static let iconvNames: [WebEncoding: String] = [
        .utf8: "UTF-8", .ibm866: "IBM866",
        .iso8859_2: "ISO-8859-2", .iso8859_3: "ISO-8859-3", .iso8859_4: "ISO-8859-4", .iso8859_5: "ISO-8859-5",
        .iso8859_6: "ISO-8859-6", .iso8859_7: "ISO-8859-7", .iso8859_8: "ISO-8859-8", .iso8859_8i: "ISO-8859-8",
        .iso8859_10: "ISO-8859-10", .iso8859_13: "ISO-8859-13", .iso8859_14: "ISO-8859-14",
        .iso8859_15: "ISO-8859-15", .iso8859_16: "ISO-8859-16",
        .koi8r: "KOI8-R", .koi8u: "KOI8-RU", .macintosh: "MACINTOSH", .windows874: "CP874",
        .windows1250: "CP1250", .windows1251: "CP1251", .windows1252: "CP1252", .windows1253: "CP1253",
        .windows1254: "CP1254", .windows1255: "CP1255", .windows1256: "CP1256", .windows1257: "CP1257",
        .windows1258: "CP1258", .xMacCyrillic: "MAC-CYRILLIC",
        .gbk: "GB18030", .gb18030: "GB18030", .big5: "BIG5-HKSCS",
        .eucJP: "EUC-JP", .iso2022JP: "ISO-2022-JP", .shiftJIS: "CP932", .eucKR: "CP949",
        .utf16be: "UTF-16BE", .utf16le: "UTF-16LE",
    ]

    /// x-user-defined: ASCII stays, bytes 0x80–0xFF become U+F780–U+F7FF (three UTF-8 bytes each).
    package static func userDefined(_ body: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        for b in body {
            if b < 0x80 { out.append(b); continue }
            let scalar = 0xF780 + UInt32(b) - 0x80
            out += [0xE0 | UInt8(scalar >> 12), 0x80 | UInt8((scalar >> 6) & 0x3F), 0x80 | UInt8(scalar & 0x3F)]
        }
        return out
    }

    /// Turns C0 control bytes (except tab, LF, CR) into spaces and U+FFFE, U+FFFF into U+FFFD.
    package static func replaceControls(_ bytes: inout [UInt8]) {
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
    package static func needsReplacements(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard let p = bytes.baseAddress else { return false }
        var k = 0
        // Eight bytes at a time: skip words with no byte under 0x20 and no 0xEF (most of a page).
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while k + 8 <= n {
            let x = p.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let below32 = (x &- ones &* 0x20) & ~x & highs
            let e = x ^ (ones &* 0xEF)
            let isEF = (e &- ones) & ~e & highs
            if below32 | isEF != 0 && slowCheck(bytes, from: k, to: k + 8) { return true }
            k += 8
        }
        return slowCheck(bytes, from: k, to: n)
    }

    /// The byte-by-byte test of `needsReplacements` for the bytes at `from..<to` (a 0xEF there looks at the two after it).
    private static func slowCheck(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Bool {
        let n = bytes.count
        for k in from..<to {
            let b = bytes[k]
            if b < 32 {
                if b != 9 && b != 10 && b != 13 { return true }
            } else if b == 0xEF && k + 2 < n && bytes[k + 1] == 0xBF && bytes[k + 2] >= 0xBE {
                return true
            }
        }
        return false
    }

    package static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Converts with iconv; nil when iconv has no converter for `from`.
    package static func iconvConvert(_ input: UnsafeRawBufferPointer, from: String) -> [UInt8]? {
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
