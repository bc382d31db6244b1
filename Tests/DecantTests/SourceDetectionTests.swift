import Foundation
import Testing
@testable import DecantArchive
@testable import DecantSources
import DecantCore
import DecantExtract
import DecantTestSupport

/// Page, feed or sitemap: decided by the override, the content type and the root element.
@Suite struct SourceDetectionTests {
    static let page = Data("<!doctype html><html><head><title>x</title></head><body><p>Hi</p></body></html>".utf8)

    @Test func htmlContentTypesArePagesWithoutParsing() throws {
        // Even a feed body served as text/html stays a page unless the job says otherwise.
        let rss = try SourceFixture.data("rss2.xml")
        #expect(try SourceDocument.read(rss, contentType: "text/html; charset=utf-8") == .page)
        #expect(try SourceDocument.read(Self.page, contentType: nil) == .page)
        #expect(try SourceDocument.read(rss, contentType: "text/html", override: .feed).kind == .feed)
    }

    @Test func theRootElementDecidesForXMLAndNeutralContentTypes() throws {
        for type in [nil, "text/xml", "application/xml", "text/plain", "application/octet-stream"] {
            #expect(try SourceDocument.read(SourceFixture.data("rss2.xml"), contentType: type).kind == .feed)
            #expect(try SourceDocument.read(SourceFixture.data("atom.xml"), contentType: type).kind == .feed)
            #expect(try SourceDocument.read(SourceFixture.data("rss1.rdf"), contentType: type).kind == .feed)
            #expect(try SourceDocument.read(SourceFixture.data("sitemap.xml"), contentType: type).kind == .sitemap)
            #expect(try SourceDocument.read(SourceFixture.data("feed.json"), contentType: type).kind == .feed)
        }
        // Other content types are never sources without an override.
        #expect(try SourceDocument.read(SourceFixture.data("rss2.xml"), contentType: "image/png") == .page)
    }

    @Test func jsonIsAFeedOnlyWithAJSONFeedVersion() throws {
        let other = Data(#"{"version": "1.0", "items": []}"#.utf8)
        #expect(try SourceDocument.read(other, contentType: nil) == .page)
        #expect(throws: SourceError.notJSONFeed) { try SourceDocument.read(other, contentType: "application/feed+json") }
        #expect(throws: SourceError.notJSONFeed) { try SourceDocument.read(other, override: .feed) }
        #expect(throws: SourceError.self) { try SourceDocument.read(Data("{nope".utf8), override: .feed) }
    }

    @Test func anXHTMLOrUnknownRootIsAPageUnlessAnOverrideAsksForASource() throws {
        let xhtml = Data(#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>"#.utf8)
        let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.utf8)
        #expect(try SourceDocument.read(xhtml, contentType: "text/xml") == .page)
        #expect(try SourceDocument.read(svg, contentType: nil) == .page)
        #expect(throws: SourceError.unknownRoot(name: "svg", namespace: "http://www.w3.org/2000/svg")) {
            try SourceDocument.read(svg, contentType: "text/xml")
        }
        #expect(throws: SourceError.unknownRoot(name: "svg", namespace: "http://www.w3.org/2000/svg")) {
            try SourceDocument.read(svg, override: .sitemap)
        }
    }

    @Test func anOverrideThatMeetsTheOtherKindSaysWhichItFound() throws {
        #expect(throws: SourceError.wrongKind(expected: .feed, found: .sitemap)) {
            try SourceDocument.read(SourceFixture.data("sitemap.xml"), override: .feed)
        }
        #expect(throws: SourceError.wrongKind(expected: .sitemap, found: .feed)) {
            try SourceDocument.read(SourceFixture.data("atom.xml"), override: .sitemap)
        }
        #expect(throws: SourceError.notMarkup) { try SourceDocument.read(Data("plain words".utf8), override: .feed) }
        #expect(throws: SourceError.empty) { try SourceDocument.read(Data(), override: .sitemap) }
        #expect(try SourceDocument.read(SourceFixture.data("atom.xml"), override: .page) == .page)
    }

    @Test func aCompressedHTMLPageIsStillAPage() throws {
        #expect(try SourceDocument.read(Inflate.gzipMember(Self.page), contentType: "application/gzip") == .page)
    }

    @Test func feedAndSitemapPrefixesAreSplitOffJobLines() {
        #expect(SourceKind.override(in: "feed:https://example.com/rss") == (.feed, "https://example.com/rss"))
        #expect(SourceKind.override(in: "FEED:http://example.com/rss") == (.feed, "http://example.com/rss"))
        #expect(SourceKind.override(in: "feed://example.com/rss") == (.feed, "http://example.com/rss"))
        #expect(SourceKind.override(in: "sitemap:https://example.com/s.xml") == (.sitemap, "https://example.com/s.xml"))
        #expect(SourceKind.override(in: "https://example.com/feed") == (nil, "https://example.com/feed"))
        #expect(SourceKind.override(in: "feed:nonsense") == (nil, "feed:nonsense"))
    }
}
