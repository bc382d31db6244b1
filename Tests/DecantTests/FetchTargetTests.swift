import Foundation
import Testing
@testable import DecantHTML
@testable import DecantFetch

@Suite struct FetchTargetTests {
    @Test func theOriginIsLowerCasedWithoutUserInfoAndThePathKeepsTheQuery() throws {
        let t = try FetchTarget.parse("  https://user:pw@Example.COM:8443/a/B?q=1#frag ", allowFile: false).get()
        #expect(t.origin == "https://example.com:8443")
        #expect(t.pathAndQuery == "/a/B?q=1")
        #expect(try FetchTarget.parse("http://example.com", allowFile: false).get().pathAndQuery == "/")
        #expect(try FetchTarget.parse("http://example.com?x", allowFile: false).get().pathAndQuery == "/?x")
    }

    @Test func otherSchemesAndFileURLsWithoutPermissionAreRefused() {
        #expect(throws: FetchFailure.unsupportedScheme("ftp")) { try FetchTarget.parse("ftp://x/y", allowFile: false).get() }
        #expect(throws: FetchFailure.fileURLsDisabled) { try FetchTarget.parse("file:///etc/passwd", allowFile: false).get() }
        #expect(throws: FetchFailure.invalidURL("nonsense")) { try FetchTarget.parse("nonsense", allowFile: false).get() }
        #expect((try? FetchTarget.parse("file:///tmp/a.html", allowFile: true).get())?.isFile == true)
    }

    @Test func contentTypesAreParsedAndHTMLIsSniffed() {
        let t = ContentType(header: "Text/HTML; Charset=\"Windows-1251\"")
        #expect(t?.mediaType == "text/html")
        #expect(t?.charset == "Windows-1251")
        #expect(t?.isHTML == true)
        #expect(ContentType(header: "application/xhtml+xml")?.isHTML == true)
        #expect(ContentType(header: "application/pdf")?.isHTML == false)
        #expect(ContentType(header: "") == nil)
        #expect(ContentType.looksLikeHTML(Data("\u{FEFF}  <!DOCTYPE html><html>".utf8)))
        #expect(ContentType.looksLikeHTML(Data("<p>hello</p>".utf8)))
        #expect(!ContentType.looksLikeHTML(Data("%PDF-1.4".utf8)))
        #expect(!ContentType.looksLikeHTML(Data("<?xml version='1.0'?><rss>".utf8)))
    }
}
