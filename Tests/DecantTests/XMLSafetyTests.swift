import Foundation
import Testing
@testable import DecantSources
import DecantCore
import DecantExtract
import DecantTestSupport

/// Malformed XML reports libxml2's line; entity bombs and external entities stay small, fast and sealed.
@Suite struct XMLSafetyTests {
    @Test func malformedXMLCarriesTheParsersLineAndMessage() throws {
        let body = try SourceFixture.data("malformed.xml")
        do {
            _ = try SourceDocument.read(body, contentType: "application/rss+xml")
            Issue.record("malformed XML was accepted")
        } catch {
            guard case .malformedXML(let line, let column, let message) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(line == 5)  // <item><title>Unclosed</item>: the first error, not the end of the file
            #expect(column > 0)
            #expect(message.contains("mismatch"))
        }
    }

    @Test func malformedXMLWithoutAnXMLContentTypeIsLeftToThePageCleaner() throws {
        #expect(try SourceDocument.read(SourceFixture.data("malformed.xml"), contentType: nil) == .page)
        #expect(throws: SourceError.self) {
            try SourceDocument.read(SourceFixture.data("malformed.xml"), contentType: nil, override: .feed)
        }
    }

    @Test func billionLaughsIsRejectedOrInertAndFast() throws {
        let body = try SourceFixture.data("billion-laughs.xml")
        let clock = ContinuousClock()
        var result: Result<SourceDocument, SourceError>!
        let elapsed = clock.measure {
            result = Result { () throws(SourceError) in try SourceDocument.read(body, contentType: "application/rss+xml") }
        }
        #expect(elapsed < .seconds(2))
        switch result! {
        case .success(.feed(let feed)):
            // The references are kept as references and skipped by the readers: nothing expands.
            let texts = [feed.title ?? ""] + feed.entries.flatMap { [$0.title ?? "", $0.link ?? ""] + $0.categories }
            #expect(texts.allSatisfy { $0.utf8.count < 100 })
            #expect(!texts.joined().contains("lol"))
        case .success(let other):
            Issue.record("unexpected \(other)")
        case .failure(let error):
            // libxml2 2.9 stops at the first use, with the document's line (not the entity's).
            guard case .malformedXML(let line, _, let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(line == 14)
            #expect(message.contains("entity"))
        }
    }

    @Test func internalEntitiesAreKeptAsReferencesAndNeverExpanded() throws {
        let body = Data("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [
              <!ENTITY a "xxxxxxxxxx">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
            ]>
            <rss version="2.0"><channel><title>[&b;]</title>
            <item><title>T&amp;&#65;</title><link>https://example.com/&b;</link><category>&b;ok</category></item>
            </channel></rss>
            """.utf8)
        // libxml2 2.9 already refuses a 1000-fold expansion as a loop; 100-fold it would expand.
        let control = try XMLTree(bytes: body, url: nil, unsafeEntities: true)
        #expect(control.root?.child("channel", in: nil)?.child("title", in: nil)?.text.utf8.count == 102)
        guard case .feed(let feed) = try SourceDocument.read(body, contentType: "text/xml") else {
            Issue.record("not a feed"); return
        }
        #expect(feed.title == "[]")
        let attribute = Data(#"<!DOCTYPE r [ <!ENTITY a "xxxxxxxxxx"> ]><r v="1&a;2&amp;3"/>"#.utf8)
        #expect(try XMLTree(bytes: attribute, url: nil).root?.attribute("v") == "12&3")
        #expect(try XMLTree(bytes: attribute, url: nil, unsafeEntities: true).root?.attribute("v") == "1xxxxxxxxxx2&3")
        #expect(feed.entries == [Feed.Entry(id: "https://example.com/", link: "https://example.com/", title: "T&A",
                                            categories: ["ok"])])
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        // A private file with a marker: the control parse (entity substitution on) must show it,
        // the real one must not.
        let marker = "decant-secret-\(UInt64.random(in: 0...UInt64.max))"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("decant-xxe-\(marker)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = dir.appendingPathComponent("secret.txt")
        try Data(marker.utf8).write(to: secret)
        let body = Data("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY secret SYSTEM "\(secret.absoluteString)"> ]>
            <rss version="2.0"><channel><title>t &secret; t</title>
            <item><title>&secret;</title><link>https://example.com/&secret;</link></item></channel></rss>
            """.utf8)

        let control = try XMLTree(bytes: body, url: nil, unsafeEntities: true)
        #expect(control.root?.child("channel", in: nil)?.child("title", in: nil)?.text == "t \(marker) t")

        guard case .feed(let feed) = try SourceDocument.read(body, contentType: "application/rss+xml") else {
            Issue.record("not a feed"); return
        }
        #expect(feed.title == "t t")
        #expect(feed.entries.first?.title == nil)
        #expect(feed.entries.first?.link == "https://example.com/")
        #expect(!"\(feed)".contains(marker))
    }

    @Test func theEtcPasswdFixtureLeaksNothing() throws {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0"
        let firstLine = String(passwd.split(separator: "\n").first ?? "root:x:0:0")
        let doc = try SourceDocument.read(SourceFixture.data("external-entity.xml"), contentType: "text/xml")
        guard case .feed(let feed) = doc else { Issue.record("not a feed: \(doc)"); return }
        #expect(feed.title == "Leak:")
        #expect(feed.entries.first?.title == "Item end")
        #expect(!"\(feed)".contains(firstLine))
    }

    @Test func aBodyOverTheByteLimitIsRefusedBeforeParsing() throws {
        let body = try SourceFixture.data("rss2.xml")
        #expect(throws: SourceError.tooLarge(limit: 100)) {
            try SourceDocument.read(body, contentType: "application/rss+xml", limits: SourceLimits(bytes: 100))
        }
        #expect(throws: SourceError.tooLarge(limit: 100)) {
            try OPMLDocument(parsing: SourceFixture.data("subscriptions.opml"), limits: SourceLimits(bytes: 100))
        }
    }
}
