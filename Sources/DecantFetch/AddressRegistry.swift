/// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, RFC 8190) as data, each block with
/// its name, its RFC and what "Globally Reachable" means for the fetcher; plus the blocks outside those
/// registries that are never a web server (multicast, deprecated site-local and IPv4-compatible).
///
/// Blocks the registry marks globally reachable are allowed even inside a refused block (the most
/// specific block decides). "N/A" entries are refused, except 6to4, judged by its embedded IPv4 address.
enum AddressRegistry {
    struct Entry: Sendable, CustomStringConvertible {
        /// `192.0.2.0/24`
        var block: String
        var name: String
        var rfc: String
        var reach: Reach
        var network: [UInt8]
        var prefixLength: Int

        init(_ block: String, _ name: String, _ rfc: String, _ reach: Reach) {
            let parts = block.split(separator: "/")
            self.block = block
            self.name = name
            self.rfc = rfc
            self.reach = reach
            self.network = AddressPolicy.parse(String(parts[0])) ?? []
            self.prefixLength = parts.count == 2 ? Int(parts[1]) ?? 0 : network.count * 8
        }

        var description: String { "\(block) \(name), \(rfc)" }

        /// Whether `bytes` (of the same family) lie inside the block.
        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == network.count, !network.isEmpty else { return false }
            var bits = prefixLength
            var i = 0
            while bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if bytes[i] & mask != network[i] & mask { return false }
                bits -= 8
                i += 1
            }
            return true
        }
    }

    enum Reach: Sendable, Equatable {
        /// Globally reachable: may be fetched.
        case globallyReachable
        /// Not globally reachable: refused, reported as `kind`.
        case refused(AddressPolicy.Kind)
        /// An IPv6 block that carries an IPv4 address at this byte offset: that address decides.
        case embeddedIPv4(at: Int)
    }

    /// IANA IPv4 Special-Purpose Address Registry, and multicast (IANA IPv4 Multicast Address Space).
    static let ipv4: [Entry] = [
        Entry("0.0.0.0/8", "\"This network\"", "RFC 791", .refused(.unspecified)),
        Entry("0.0.0.0/32", "\"This host on this network\"", "RFC 1122", .refused(.unspecified)),
        Entry("10.0.0.0/8", "Private-Use", "RFC 1918", .refused(.private)),
        Entry("100.64.0.0/10", "Shared Address Space", "RFC 6598", .refused(.private)),
        Entry("127.0.0.0/8", "Loopback", "RFC 1122", .refused(.loopback)),
        Entry("169.254.0.0/16", "Link Local", "RFC 3927", .refused(.linkLocal)),
        Entry("172.16.0.0/12", "Private-Use", "RFC 1918", .refused(.private)),
        Entry("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", .refused(.reserved)),
        Entry("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", .refused(.reserved)),
        Entry("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", .refused(.reserved)),
        Entry("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", .globallyReachable),
        Entry("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", .globallyReachable),
        Entry("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880", .refused(.reserved)),
        Entry("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880", .refused(.reserved)),
        Entry("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", .refused(.documentation)),
        Entry("192.31.196.0/24", "AS112-v4", "RFC 7535", .globallyReachable),
        Entry("192.52.193.0/24", "AMT", "RFC 7450", .globallyReachable),
        Entry("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", .refused(.reserved)),
        Entry("192.168.0.0/16", "Private-Use", "RFC 1918", .refused(.private)),
        Entry("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", .globallyReachable),
        Entry("198.18.0.0/15", "Benchmarking", "RFC 2544", .refused(.reserved)),
        Entry("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", .refused(.documentation)),
        Entry("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", .refused(.documentation)),
        Entry("224.0.0.0/4", "Multicast", "RFC 5771", .refused(.multicast)),
        Entry("240.0.0.0/4", "Reserved", "RFC 1112", .refused(.reserved)),
        Entry("255.255.255.255/32", "Limited Broadcast", "RFC 919", .refused(.reserved)),
    ]

    /// IANA IPv6 Special-Purpose Address Registry, plus multicast, site-local and IPv4-compatible addresses.
    static let ipv6: [Entry] = [
        Entry("::/128", "Unspecified Address", "RFC 4291", .refused(.unspecified)),
        Entry("::1/128", "Loopback Address", "RFC 4291", .refused(.loopback)),
        Entry("::/96", "IPv4-Compatible (deprecated)", "RFC 4291", .embeddedIPv4(at: 12)),
        Entry("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", .embeddedIPv4(at: 12)),
        Entry("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", .embeddedIPv4(at: 12)),
        Entry("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local use)", "RFC 8215", .refused(.private)),
        Entry("100::/64", "Discard-Only Address Block", "RFC 6666", .refused(.reserved)),
        Entry("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", .refused(.reserved)),
        Entry("2001::/23", "IETF Protocol Assignments", "RFC 2928", .refused(.reserved)),
        Entry("2001::/32", "TEREDO", "RFC 4380", .refused(.reserved)),
        Entry("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", .globallyReachable),
        Entry("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", .globallyReachable),
        Entry("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", .globallyReachable),
        Entry("2001:2::/48", "Benchmarking", "RFC 5180", .refused(.reserved)),
        Entry("2001:3::/32", "AMT", "RFC 7450", .globallyReachable),
        Entry("2001:4:112::/48", "AS112-v6", "RFC 7535", .globallyReachable),
        Entry("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", .refused(.reserved)),
        Entry("2001:20::/28", "ORCHIDv2", "RFC 7343", .globallyReachable),
        Entry("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", .globallyReachable),
        Entry("2001:db8::/32", "Documentation", "RFC 3849", .refused(.documentation)),
        Entry("2002::/16", "6to4", "RFC 3056", .embeddedIPv4(at: 2)),
        Entry("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", .globallyReachable),
        Entry("3fff::/20", "Documentation", "RFC 9637", .refused(.documentation)),
        Entry("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", .refused(.reserved)),
        Entry("fc00::/7", "Unique-Local", "RFC 4193", .refused(.private)),
        Entry("fe80::/10", "Link-Local Unicast", "RFC 4291", .refused(.linkLocal)),
        Entry("fec0::/10", "Site-Local (deprecated)", "RFC 3879", .refused(.private)),
        Entry("ff00::/8", "Multicast", "RFC 4291", .refused(.multicast)),
    ]
}
