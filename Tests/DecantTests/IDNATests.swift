import Testing
@testable import DecantFetch
@testable import DecantSpool

/// Internationalised host names to ASCII (UTS #46 through libidn2), as browsers send them.
@Suite struct IDNATests {
    @Test(arguments: [
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.Example", "xn--bcher-kva.example"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("правительство.рф", "xn--80aealotwbjpid2k.xn--p1ai"),
        ("faß.de", "xn--fa-hia.de"),
        ("example.com", "example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ])
    func hostsBecomeTheirASCIIForm(_ host: String, _ ascii: String) throws {
        #expect(try IDNA.asciiHost(host).get() == ascii)
    }

    @Test func urlsKeepSchemePortUserAndGetPercentEncodedPaths() throws {
        #expect(try IDNA.asciiURL("http://bücher.example/").get() == "http://xn--bcher-kva.example/")
        #expect(try IDNA.asciiURL("https://bücher.example:8443/straße?q=ä#ü").get()
                == "https://xn--bcher-kva.example:8443/stra%C3%9Fe?q=%C3%A4#%C3%BC")
        #expect(try IDNA.asciiURL("http://jürgen@bücher.example/").get() == "http://j%C3%BCrgen@xn--bcher-kva.example/")
        #expect(try IDNA.asciiURL("http://example.com/a b").get() == "http://example.com/a b", "ASCII stays as is")
        #expect(try IDNA.asciiURL("http://[::1]:80/ä").get() == "http://[::1]:80/%C3%A4")
        #expect(try IDNA.asciiURL("file:///tmp/ä.html").get() == "file:///tmp/%C3%A4.html")
    }

    @Test func anInvalidHostFailsNamingIt() {
        guard case .failure(let failure) = IDNA.asciiURL("http://a\u{200D}b.example/") else {
            Issue.record("a joiner outside its context is not a valid label")
            return
        }
        #expect(failure.description.contains("host name 'a\u{200D}b.example' has no ASCII form"), "\(failure)")
        #expect((try? IDNA.asciiHost(String(repeating: "ä", count: 600)).get()) == nil)
    }

    @Test func jobLinesCarryTheASCIIForm() {
        #expect(JobLine.parse("https://bücher.example/katalog") == .url("https://xn--bcher-kva.example/katalog"))
        guard case .malformed(_, let reason) = JobLine.parse("https://a\u{200D}b.example/") else {
            Issue.record("an invalid host is a malformed line")
            return
        }
        #expect(reason.contains("has no ASCII form"), "\(reason)")
    }
}
