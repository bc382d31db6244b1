import Foundation
import Testing
@testable import DecantArchive
@testable import DecantSources
import DecantCore
import DecantExtract
import DecantTestSupport

/// urlset, sitemapindex, gzip sitemaps, plain-text sitemaps and robots.txt `Sitemap:` lines.
@Suite struct SitemapReaderTests {
    @Test func aURLSetListsAbsoluteHTTPLocationsWithLastmod() throws {
        let map = try #require(try SourceFixture.sitemap("sitemap.xml", contentType: "application/xml"))
        #expect(map.format == .urlset)
        #expect(!map.listsSitemaps)
        #expect(map.entries == [
            Sitemap.Entry(loc: "https://example.com/a?x=1&y=2", lastmod: "2024-03-05"),
            Sitemap.Entry(loc: "https://example.com/b", lastmod: "2024-03-06T10:00:00Z"),
            Sitemap.Entry(loc: "https://example.com/c"),  // javascript: dropped
        ])
    }

    @Test func aPrefixedSitemapIndexListsChildSitemaps() throws {
        let map = try #require(try SourceFixture.sitemap("sitemap-index.xml", contentType: "text/xml"))
        #expect(map.format == .index)
        #expect(map.listsSitemaps)
        #expect(map.entries == [
            Sitemap.Entry(loc: "https://example.com/sitemap-posts.xml.gz", lastmod: "2024-03-01T00:00:00Z"),
            Sitemap.Entry(loc: "https://example.com/sitemap-pages.xml"),
        ])
    }

    @Test func gzipSitemapsAreInflatedWhateverTheContentType() throws {
        let plain = try #require(try SourceFixture.sitemap("sitemap-index.xml"))
        let index = try #require(try SourceFixture.sitemap("sitemap-index.xml.gz", contentType: "application/x-gzip"))
        #expect(index == plain)
        let urls = try #require(try SourceFixture.sitemap("sitemap.xml.gz", contentType: "application/octet-stream"))
        #expect(urls.entries.count == 3)
    }

    @Test func aGzipBodyThatInflatesPastTheByteLimitIsTooLarge() throws {
        let big = Data(("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
            + String(repeating: "<url><loc>https://example.com/x</loc></url>", count: 20_000) + "</urlset>").utf8)
        let packed = Inflate.gzipMember(big)
        #expect(packed.count < 100_000)
        #expect(throws: SourceError.tooLarge(limit: 100_000)) {
            try SourceDocument.read(packed, limits: SourceLimits(bytes: 100_000))
        }
        #expect(throws: SourceError.corruptCompression(reason: "truncated stream")) {
            try SourceDocument.read(packed.prefix(packed.count / 2))
        }
    }

    @Test func robotsTxtSitemapLinesBecomeASitemapList() throws {
        let body = Data("""
            User-agent: *
            Disallow: /private
            Sitemap: https://example.com/sitemap.xml
            sitemap: /relative-sitemap.xml # a comment
            SITEMAP: https://example.com/sitemap.xml
            Sitemap: ftp://example.com/not-http.xml
            """.utf8)
        let doc = try SourceDocument.read(body, contentType: "text/plain", url: "https://example.com/robots.txt")
        #expect(doc == .sitemap(Sitemap(format: .robots, entries: [
            Sitemap.Entry(loc: "https://example.com/sitemap.xml"),
            Sitemap.Entry(loc: "https://example.com/relative-sitemap.xml"),
        ])))
    }

    @Test func aPlainTextBodyIsATextSitemapOnlyUnderASitemapOverride() throws {
        let body = Data("https://example.com/one\n\nnot a url\r\nhttps://example.com/two\n".utf8)
        #expect(try SourceDocument.read(body, contentType: "text/plain") == .page)
        let doc = try SourceDocument.read(body, contentType: "text/plain", override: .sitemap)
        #expect(doc == .sitemap(Sitemap(format: .text, entries: [
            Sitemap.Entry(loc: "https://example.com/one"), Sitemap.Entry(loc: "https://example.com/two"),
        ])))
    }

    @Test func sitemapEntriesPastTheLimitAreDroppedAndFlagged() throws {
        let map = try #require(try SourceFixture.sitemap("sitemap.xml", limits: SourceLimits(entries: 2)))
        #expect(map.entries.map(\.loc) == ["https://example.com/a?x=1&y=2", "https://example.com/b"])
        #expect(map.truncated)
    }
}
