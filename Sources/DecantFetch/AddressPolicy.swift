#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses addresses that are not globally reachable: the IANA IPv4 and IPv6 Special-Purpose Address
/// Registries (`AddressRegistry`), plus multicast and the deprecated site-local and IPv4-compatible forms.
///
/// Applied to the address libcurl is about to connect to, so DNS tricks and redirects cannot bypass it.
public enum AddressPolicy {
    /// The kind of a refused address.
    public enum Kind: String, Sendable, Equatable {
        case loopback, `private`, linkLocal = "link-local", multicast, unspecified, documentation, reserved
    }

    /// Why an address is refused: its kind and the registry block that refuses it.
    public struct Refusal: Sendable, Equatable {
        public var kind: Kind
        /// `192.0.2.0/24 Documentation (TEST-NET-1), RFC 5737`; an embedded IPv4 address names both blocks.
        public var block: String
    }

    /// The kind of a refused address given as 4 (IPv4) or 16 (IPv6) bytes, or nil for a public one.
    public static func classify(_ bytes: [UInt8]) -> Kind? { refusal(for: bytes)?.kind }

    /// Why the address is refused, or nil when it may be connected to. The most specific registry
    /// block decides; IPv4-mapped, IPv4-compatible, NAT64 and 6to4 addresses are judged by the IPv4
    /// address they embed. Any other length is refused as reserved.
    public static func refusal(for bytes: [UInt8]) -> Refusal? {
        let table: [AddressRegistry.Entry]
        switch bytes.count {
        case 4: table = AddressRegistry.ipv4
        case 16: table = AddressRegistry.ipv6
        default: return Refusal(kind: .reserved, block: "not an IPv4 or IPv6 address (\(bytes.count) bytes)")
        }
        guard let entry = mostSpecific(table, containing: bytes) else { return nil }
        switch entry.reach {
        case .globallyReachable:
            return nil
        case .refused(let kind):
            return Refusal(kind: kind, block: entry.description)
        case .embeddedIPv4(let offset):
            let v4 = Array(bytes[offset..<(offset + 4)])
            guard let inner = mostSpecific(AddressRegistry.ipv4, containing: v4) else { return nil }
            guard case .refused(let kind) = inner.reach else { return nil }
            return Refusal(kind: kind, block: "\(format(v4)) in \(entry.description): \(inner.description)")
        }
    }

    static func mostSpecific(_ table: [AddressRegistry.Entry], containing bytes: [UInt8]) -> AddressRegistry.Entry? {
        var best: AddressRegistry.Entry?
        for entry in table where entry.contains(bytes) {
            if best.map({ entry.prefixLength > $0.prefixLength }) ?? true { best = entry }
        }
        return best
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

    /// The bytes of a numeric IPv4 or IPv6 address (`inet_pton`), or nil.
    package static func parse(_ text: String) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16)
        if text.contains(":") {
            return inet_pton(AF_INET6, text, &buffer) == 1 ? buffer : nil
        }
        return inet_pton(AF_INET, text, &buffer) == 1 ? Array(buffer.prefix(4)) : nil
    }
}
