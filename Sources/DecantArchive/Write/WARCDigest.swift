import Crypto
import Foundation

/// `sha1:` + the RFC 4648 base32 of a SHA-1, as `WARC-Block-Digest` and `WARC-Payload-Digest` carry it.
public enum WARCDigest {
    /// The labelled digest of `data`, such as `sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ`.
    public static func sha1(_ data: Data) -> String {
        "sha1:" + base32(Array(Insecure.SHA1.hash(data: data)))
    }

    /// RFC 4648 base32, upper case, padded.
    public static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }
}
