import Testing
@testable import DecantCore
@testable import DecantFetch

@Suite struct AddressPolicyTests {
    @Test func nonPublicIPv4RangesAreClassified() {
        #expect(AddressPolicy.classify([127, 0, 0, 1]) == .loopback)
        #expect(AddressPolicy.classify([127, 9, 9, 9]) == .loopback)
        #expect(AddressPolicy.classify([10, 1, 2, 3]) == .private)
        #expect(AddressPolicy.classify([172, 16, 0, 1]) == .private)
        #expect(AddressPolicy.classify([172, 31, 255, 255]) == .private)
        #expect(AddressPolicy.classify([192, 168, 1, 1]) == .private)
        #expect(AddressPolicy.classify([100, 64, 0, 1]) == .private)
        #expect(AddressPolicy.classify([169, 254, 169, 254]) == .linkLocal)
        #expect(AddressPolicy.classify([224, 0, 0, 251]) == .multicast)
        #expect(AddressPolicy.classify([239, 255, 255, 250]) == .multicast)
        #expect(AddressPolicy.classify([0, 0, 0, 0]) == .unspecified)
        #expect(AddressPolicy.classify([255, 255, 255, 255]) == .reserved)
    }

    @Test func publicIPv4AddressesPass() {
        #expect(AddressPolicy.classify([93, 184, 216, 34]) == nil)
        #expect(AddressPolicy.classify([172, 32, 0, 1]) == nil)
        #expect(AddressPolicy.classify([100, 128, 0, 1]) == nil)
        #expect(AddressPolicy.classify([8, 8, 8, 8]) == nil)
    }

    @Test func ipv6RangesAndIPv4MappedAddressesAreClassified() {
        var loopback = [UInt8](repeating: 0, count: 16); loopback[15] = 1
        #expect(AddressPolicy.classify(loopback) == .loopback)
        #expect(AddressPolicy.classify([UInt8](repeating: 0, count: 16)) == .unspecified)
        #expect(AddressPolicy.classify([0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [1]) == .linkLocal)
        #expect(AddressPolicy.classify([0xFD, 0x12] + [UInt8](repeating: 0, count: 13) + [1]) == .private)
        #expect(AddressPolicy.classify([0xFF, 0x02] + [UInt8](repeating: 0, count: 13) + [1]) == .multicast)
        let mapped = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
        #expect(AddressPolicy.classify(mapped + [127, 0, 0, 1]) == .loopback)
        #expect(AddressPolicy.classify(mapped + [10, 0, 0, 1]) == .private)
        #expect(AddressPolicy.classify(mapped + [8, 8, 8, 8]) == nil)
        #expect(AddressPolicy.classify([0x26, 0x06, 0x28, 0x00] + [UInt8](repeating: 0, count: 11) + [1]) == nil)
        #expect(AddressPolicy.format(mapped + [127, 0, 0, 1]) == "0:0:0:0:0:ffff:7f00:1")
        #expect(AddressPolicy.format([10, 0, 0, 1]) == "10.0.0.1")
    }
}

@Suite struct AddressRegistryTests {
    static func kind(_ text: String) -> AddressPolicy.Kind? {
        AddressPolicy.classify(AddressPolicy.parse(text) ?? [])
    }

    @Test func everyRegistryBlockParsesAndItsFirstAddressIsJudgedByIt() {
        for entry in AddressRegistry.ipv4 + AddressRegistry.ipv6 {
            #expect(entry.network.count == (entry.block.contains(":") ? 16 : 4), "\(entry.block)")
            #expect(entry.contains(entry.network), "\(entry.block)")
            #expect(!entry.rfc.isEmpty && entry.rfc.hasPrefix("RFC "), "\(entry.block)")
        }
    }

    @Test(arguments: ["192.0.2.1", "192.0.2.255", "198.51.100.1", "203.0.113.200", "2001:db8::1", "2001:db8:ffff::1",
                      "3fff::1", "3fff:fff:ffff::1"])
    func documentationAddressesAreRefused(_ address: String) {
        #expect(Self.kind(address) == .documentation)
    }

    @Test(arguments: [
        ("0.1.2.3", AddressPolicy.Kind.unspecified), ("192.0.0.1", .reserved), ("192.0.0.8", .reserved),
        ("192.0.0.170", .reserved), ("192.88.99.1", .reserved), ("198.18.0.1", .reserved), ("198.19.255.255", .reserved),
        ("240.0.0.1", .reserved), ("255.255.255.255", .reserved), ("100.127.255.255", .private),
        ("100::1", .reserved), ("2001::1", .reserved), ("2001:2::1", .reserved), ("2001:10::1", .reserved),
        ("5f00::1", .reserved), ("64:ff9b:1::1", .private), ("fec0::1", .private), ("ff0e::1", .multicast),
        ("fe80::1", .linkLocal), ("fc00::1", .private), ("169.254.0.1", .linkLocal), ("224.0.0.1", .multicast),
    ])
    func otherSpecialPurposeBlocksAreRefused(_ address: String, _ kind: AddressPolicy.Kind) {
        #expect(Self.kind(address) == kind, "\(address)")
    }

    @Test(arguments: ["192.0.0.9", "192.0.0.10", "192.31.196.1", "192.52.193.1", "192.175.48.1", "2001:1::1",
                      "2001:1::2", "2001:3::1", "2001:4:112::1", "2001:20::1", "2620:4f:8000::1", "1.1.1.1",
                      "2a00:1450:4001::1", "198.20.0.1", "192.0.3.1", "203.0.114.1"])
    func globallyReachableBlocksAndPublicAddressesPass(_ address: String) {
        #expect(Self.kind(address) == nil, "\(address)")
    }

    @Test func embeddedIPv4AddressesAreJudgedByTheirIPv4Block() {
        #expect(Self.kind("::ffff:192.0.2.1") == .documentation)
        #expect(Self.kind("::ffff:8.8.8.8") == nil)
        #expect(Self.kind("64:ff9b::127.0.0.1") == .loopback)
        #expect(Self.kind("64:ff9b::10.1.2.3") == .private)
        #expect(Self.kind("64:ff9b::8.8.8.8") == nil)
        #expect(Self.kind("2002:7f00:1::") == .loopback, "6to4 of 127.0.0.1")
        #expect(Self.kind("2002:a9fe:a9fe::1") == .linkLocal, "6to4 of 169.254.169.254")
        #expect(Self.kind("2002:808:808::1") == nil, "6to4 of 8.8.8.8")
        #expect(Self.kind("::127.0.0.1") == .loopback, "IPv4-compatible")
        #expect(Self.kind("::2") == .unspecified)
    }

    @Test func theRefusalNamesTheBlockAndItsRFC() throws {
        let refusal = try #require(AddressPolicy.refusal(for: [192, 0, 2, 1]))
        #expect(refusal.block == "192.0.2.0/24 Documentation (TEST-NET-1), RFC 5737")
        let mapped = try #require(AddressPolicy.refusal(for: AddressPolicy.parse("::ffff:127.0.0.1") ?? []))
        #expect(mapped.kind == .loopback)
        #expect(mapped.block.contains("127.0.0.0/8 Loopback, RFC 1122") && mapped.block.contains("::ffff:0:0/96"))
        #expect(FetchFailure.refusedAddress(address: "192.0.2.1", kind: "documentation", block: refusal.block).description
                == "refused to connect to documentation address 192.0.2.1 (192.0.2.0/24 Documentation (TEST-NET-1), "
                + "RFC 5737) (set fetch.allowPrivateNetworks to allow)")
        #expect(AddressPolicy.classify([1, 2, 3]) == .reserved)
    }

    @Test func everyLoopbackAndAliasFormStaysRefused() {
        for text in ["127.0.0.1", "127.1.2.3", "127.255.255.254", "0.0.0.0", "::1", "::", "::ffff:127.0.0.1",
                     "::ffff:0.0.0.0", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "::ffff:7f00:1"] {
            #expect(Self.kind(text) != nil, "\(text)")
        }
    }
}
