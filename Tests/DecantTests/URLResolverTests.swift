import Foundation
import Testing
@testable import DecantCore
@testable import DecantExtract

/// RFC 3986 section 5.4 examples, plus the references pages use that must not become links.
@Suite struct URLResolverTests {
    static let resolver = URLResolver(base: "http://a/b/c/d;p?q")

    @Test(arguments: [
        ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
        ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
        ("g#s", "http://a/b/c/g#s"), (";x", "http://a/b/c/;x"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"),
        ("../..", "http://a/"), ("../../g", "http://a/g"), ("../../../g", "http://a/g"), ("/./g", "http://a/g"),
        ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), ("..g", "http://a/b/c/..g"), ("./g/.", "http://a/b/c/g/"),
        ("g/../h", "http://a/b/c/h"), ("g;x=1/../y", "http://a/b/c/y"),
    ])
    func rfc3986ExamplesResolve(_ reference: String, _ expected: String) {
        #expect(Self.resolver.resolve(reference) == expected)
    }

    @Test func absoluteReferencesStayAndScriptsAreDropped() {
        let r = URLResolver(base: "https://news.example/a/")
        #expect(r.resolve("https://other.example/x?y#z") == "https://other.example/x?y#z")
        #expect(r.resolve("mailto:ed@news.example") == "mailto:ed@news.example")
        #expect(r.resolve("javascript:void(0)") == nil)
        #expect(r.resolve(" JavaScript:alert(1)") == nil)
        #expect(r.resolve("data:image/png;base64,AAAA") == nil)
        #expect(r.resolve("//cdn.example/i.png") == "https://cdn.example/i.png")
        #expect(r.resolve(" img/a b.png\n") == "https://news.example/a/img/a%20b.png")
    }

    @Test func withoutABaseReferencesStayAsWritten() {
        let r = URLResolver(base: nil)
        #expect(r.resolve("/relative/path") == "/relative/path")
        #expect(r.resolve("https://abs.example/") == "https://abs.example/")
        #expect(r.resolve("javascript:x()") == nil)
        #expect(URLResolver(base: "not a url").resolve("g") == "g")
    }

    @Test func theHostDropsWwwPortAndCase() {
        #expect(URLResolver.host(of: "https://WWW.News.example:8443/a") == "news.example")
        #expect(URLResolver.host(of: "/relative") == nil)
    }

    @Test func theCleanerLinksRelativeHrefsWithAndWithoutAPageURL() throws {
        let html = Data("""
            <html><body><article><p>The council voted on Tuesday to rebuild the old river bridge, ending a long
            debate that had divided the town for years. <a href="../more.html">Read the report</a> and
            <a href="javascript:void(0)">share</a> it with the neighbours who could not attend.</p></article></body></html>
            """.utf8)
        let linked = try Extractor().extract(html, url: "https://courier.example/news/today/story")
        #expect(linked.markdown?.contains("[Read the report](https://courier.example/news/more.html)") == true)
        #expect(linked.markdown?.contains("[share]") == false)
        #expect(linked.text.contains("share it"))
        let unlinked = try Extractor().extract(html)
        #expect(unlinked.markdown?.contains("[Read the report](../more.html)") == true)
    }
}
