/// Stable, platform-independent hashes: article ids and text fingerprints (64-bit FNV-1a, hex).
///
/// Swift's `Hasher` is seeded per process, so it is never used for anything stored.
public enum Fingerprint {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// FNV-1a 64 of the UTF-8 bytes of `string`, as 16 lower-case hex digits.
    public static func hash(_ string: String) -> String {
        hex(fnv1a(string.utf8))
    }

    /// FNV-1a 64 of `bytes`: the one hash of the extractor (ids, fingerprints, class-value caches).
    @inline(__always)
    static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// FNV-1a 32 of `bytes`, its offset basis mixed with `seed` (an element's tag in its signature).
    @inline(__always)
    static func fnv1a32<Bytes: Sequence<UInt8>>(_ bytes: Bytes, seed: UInt32) -> UInt32 {
        var h: UInt32 = 0x811c_9dc5 ^ seed
        for b in bytes { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }

    /// The fingerprint of an article text: the hash of its normalised form (see `normalize`).
    public static func of(text: String) -> String {
        var h = offsetBasis
        forEachNormalizedByte(text) { h = (h ^ UInt64($0)) &* prime }
        return hex(h)
    }

    /// Lower-case letters and digits only, words separated by single spaces.
    public static func normalize(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        forEachNormalizedByte(text) { out.append($0) }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        var v = value
        for i in stride(from: 15, through: 0, by: -1) {
            out[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Feeds the normalised text's UTF-8 bytes to `sink` without building it (ASCII fast path).
    private static func forEachNormalizedByte(_ text: String, _ sink: (UInt8) -> Void) {
        var pendingSpace = false
        var started = false
        @inline(__always) func emitSeparator() {
            if pendingSpace && started { sink(32) }
            pendingSpace = false
            started = true
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                if b >= 65 && b <= 90 {
                    emitSeparator(); sink(b + 32)
                } else if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) {
                    emitSeparator(); sink(b)
                } else if b == 39 {
                    continue  // "don't" and "dont" are the same word
                } else {
                    pendingSpace = true
                }
                continue
            }
            if v == 0x2019 { continue }
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil {
                emitSeparator()
                if p.changesWhenLowercased {
                    for b in p.lowercaseMapping.utf8 { sink(b) }
                } else {
                    for b in String(scalar).utf8 { sink(b) }
                }
            } else {
                pendingSpace = true
            }
        }
    }
}
