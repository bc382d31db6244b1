import Testing
@testable import Decant

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
