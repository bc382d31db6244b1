/// Classifies IP addresses so the fetcher can refuse loopback, private, link-local and multicast targets.
///
/// Applied to the address libcurl is about to connect to, so DNS tricks and redirects cannot bypass it.
public enum AddressPolicy {
    /// The kind of a non-public address, or `nil` for a public one.
    public enum Kind: String, Sendable, Equatable {
        case loopback, `private`, linkLocal = "link-local", multicast, unspecified, reserved
    }

    /// Classifies 4 (IPv4) or 16 (IPv6) address bytes; IPv4-mapped IPv6 is judged as its IPv4 address.
    public static func classify(_ bytes: [UInt8]) -> Kind? {
        if bytes.count == 4 { return classifyV4(bytes[0], bytes[1], bytes[2], bytes[3]) }
        guard bytes.count == 16 else { return .reserved }
        let allZeroPrefix = bytes[0..<10].allSatisfy { $0 == 0 }
        if allZeroPrefix && bytes[10] == 0xFF && bytes[11] == 0xFF {  // ::ffff:a.b.c.d
            return classifyV4(bytes[12], bytes[13], bytes[14], bytes[15])
        }
        if allZeroPrefix && bytes[10] == 0 && bytes[11] == 0 {
            if bytes[12..<15].allSatisfy({ $0 == 0 }) {
                if bytes[15] == 0 { return .unspecified }  // ::
                if bytes[15] == 1 { return .loopback }     // ::1
            }
            return classifyV4(bytes[12], bytes[13], bytes[14], bytes[15])  // ::a.b.c.d (deprecated form)
        }
        // 64:ff9b::/96 (NAT64) embeds an IPv4 address.
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B, bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return classifyV4(bytes[12], bytes[13], bytes[14], bytes[15])
        }
        if bytes[0] == 0xFF { return .multicast }                        // ff00::/8
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return .private }   // fec0::/10 (old site-local)
        if bytes[0] & 0xFE == 0xFC { return .private }                   // fc00::/7 (unique local)
        return nil
    }

    static func classifyV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Kind? {
        switch a {
        case 0: return .unspecified                                      // 0.0.0.0/8
        case 10: return .private
        case 127: return .loopback
        case 100 where b & 0xC0 == 64: return .private                   // 100.64.0.0/10 (carrier-grade NAT)
        case 169 where b == 254: return .linkLocal
        case 172 where b & 0xF0 == 16: return .private                   // 172.16.0.0/12
        case 192 where b == 168: return .private
        case 192 where b == 0 && c == 0: return .reserved                // 192.0.0.0/24 (protocol assignments)
        case 198 where b & 0xFE == 18: return .private                   // 198.18.0.0/15 (benchmarking)
        case 224...239: return .multicast
        case 240...255: return .reserved                                 // incl. 255.255.255.255
        default: return nil
        }
    }

    /// The address as text: dotted IPv4, or IPv6 groups in hex.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        var i = 0
        while i + 1 < bytes.count {
            groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16))
            i += 2
        }
        return groups.joined(separator: ":")
    }
}
