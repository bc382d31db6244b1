import Foundation
import Testing
@testable import DecantSources
import DecantCore
import DecantExtract
import DecantTestSupport

/// OPML subscription lists: every outline with an xmlUrl, at any depth, with its title and folders.
@Suite struct OPMLDocumentTests {
    @Test func nestedOutlinesWithXMLURLAreAllFeedsInDocumentOrder() throws {
        let opml = try OPMLDocument(parsing: SourceFixture.data("subscriptions.opml"))
        #expect(opml.title == "My feeds")
        #expect(opml.feeds == [
            OPMLDocument.Feed(url: "https://blog.example.net/atom.xml", title: "Atom & Friends",
                              homePage: "https://blog.example.net/", folders: ["Tech"]),
            OPMLDocument.Feed(url: "https://deep.example.com/rss", title: "Deep Feed", folders: ["Tech", "Deeper"]),
            OPMLDocument.Feed(url: "https://top.example.com/feed.json", title: "Top level"),
        ])
        #expect(!opml.truncated)
    }

    @Test func feedsPastTheLimitAreDroppedAndFlagged() throws {
        let opml = try OPMLDocument(parsing: SourceFixture.data("subscriptions.opml"), limits: SourceLimits(entries: 1))
        #expect(opml.feeds.map(\.url) == ["https://blog.example.net/atom.xml"])
        #expect(opml.truncated)
    }

    @Test func aFileThatIsNotOPMLNamesItsRoot() throws {
        #expect(throws: SourceError.unknownRoot(name: "rss", namespace: nil)) {
            try OPMLDocument(parsing: SourceFixture.data("rss2.xml"))
        }
    }
}
