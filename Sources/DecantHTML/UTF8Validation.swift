/// Fast UTF-8 validity checks over raw bytes.
package enum UTF8Validation {
    /// Well-formed multi-byte sequences and invalid bytes in a buffer.
    package struct Census: Equatable {
        package var multibyte = 0
        package var invalid = 0

        /// Valid throughout.
        package var isValid: Bool { invalid == 0 }
        /// Clearly UTF-8: no errors and real multi-byte text, or many sequences and a few stray bytes
        /// (a Latin-1 byte pasted into a UTF-8 page).
        package var isLikelyUTF8: Bool { invalid == 0 || (multibyte >= 20 && multibyte >= 10 * invalid) }
        /// So much multi-byte text without a single error that no single-byte encoding fits.
        package var isCertainlyUTF8: Bool { invalid == 0 && multibyte >= 5 }
    }

    /// Counts well-formed multi-byte sequences and invalid bytes.
    package static func census(_ bytes: UnsafeRawBufferPointer) -> Census {
        var c = Census()
        var i = 0
        let n = bytes.count
        guard let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return c }
        while i < n {
            i = skipASCII(p, i, n)
            if i >= n { break }
            if p[i] < 0x80 { i += 1; continue }
            let len = sequenceLength(p, i, n)
            if len > 0 {
                c.multibyte += 1
                i += len
            } else {
                c.invalid += 1
                i += 1
            }
        }
        return c
    }

    /// The first index from `i` whose eight-byte word holds a non-ASCII byte (ASCII skipped a word at a time).
    @inline(__always)
    private static func skipASCII(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        var i = i
        while i + 8 <= n {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        return i
    }

    /// The length of the well-formed multi-byte sequence at `i`, or 0.
    @inline(__always)
    private static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let b = p[i]
        let len: Int
        if b >= 0xC2 && b <= 0xDF { len = 2 }
        else if b >= 0xE0 && b <= 0xEF { len = 3 }
        else if b >= 0xF0 && b <= 0xF4 { len = 4 }
        else { return 0 }
        if i + len > n { return 0 }
        let b1 = p[i + 1]
        switch b {
        case 0xE0: if b1 < 0xA0 || b1 > 0xBF { return 0 }
        case 0xED: if b1 < 0x80 || b1 > 0x9F { return 0 }
        case 0xF0: if b1 < 0x90 || b1 > 0xBF { return 0 }
        case 0xF4: if b1 < 0x80 || b1 > 0x8F { return 0 }
        default: if b1 & 0xC0 != 0x80 { return 0 }
        }
        for k in 2..<max(2, len) where p[i + k] & 0xC0 != 0x80 { return 0 }
        return len
    }

    /// True when `bytes` is well-formed UTF-8 (ASCII included).
    package static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        guard let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        while i < n {
            i = skipASCII(p, i, n)
            if i >= n { break }
            if p[i] < 0x80 { i += 1; continue }
            let len = sequenceLength(p, i, n)
            if len == 0 { return false }
            i += len
        }
        return true
    }
}
