import Foundation
import Testing
@testable import DecantSources
import DecantCore
import DecantExtract
import DecantTestSupport

/// RSS 2.0, RSS 1.0, Atom and JSON Feed entries: ids, absolute links, titles, dates, authors, categories.
@Suite struct FeedReaderTests {
    @Test func rss2EntriesKeepGuidLinkDatesAuthorsAndCategories() throws {
        let feed = try #require(try SourceFixture.feed("rss2.xml", contentType: "application/rss+xml",
                                                       url: "https://example.com/feed.xml"))
        #expect(feed.format == .rss2)
        #expect(feed.title == "Example & Co \u{2014} News")  // &amp; and a numeric reference
        #expect(feed.homePage == "https://example.com/")
        #expect(feed.entries.count == 3)
        let first = feed.entries[0]
        #expect(first.id == "tag:example.com,2024:fish")
        #expect(first.link == "https://example.com/2024/03/fish")
        #expect(first.title == "Fish & <Chips> tonight")  // CDATA kept as text
        #expect(first.published == "2024-03-05T10:00:00+01:00")
        #expect(first.authors == ["Ann Writer"])  // dc:creator by namespace URI
        #expect(first.categories == ["Food", "Dinner"])
    }

    @Test func rss2RelativeLinksResolveAgainstTheFeedURLAndAPermalinkGuidIsTheLink() throws {
        let feed = try #require(try SourceFixture.feed("rss2.xml", url: "https://example.com/feed.xml"))
        #expect(feed.entries[1].link == "https://example.com/2024/03/relative")
        #expect(feed.entries[1].title == "Relative \u{201C}link\u{201D}")
        #expect(feed.entries[1].published == "2024-03-06T08:30:00Z")
        #expect(feed.entries[1].authors == ["bob@example.com (Bob)"])
        #expect(feed.entries[1].id == "https://example.com/2024/03/relative")
        #expect(feed.entries[2].link == "https://example.com/2024/03/guid-only")
    }

    @Test func rss1ItemsAreReadInTheRSS1NamespaceWithDublinCore() throws {
        let feed = try #require(try SourceFixture.feed("rss1.rdf", contentType: "application/rdf+xml"))
        #expect(feed.format == .rss1)
        #expect(feed.title == "RDF Site")
        #expect(feed.entries.count == 2)
        #expect(feed.entries[0] == Feed.Entry(id: "https://example.org/one", link: "https://example.org/one",
                                              title: "First RDF item", published: "2024-03-05T10:00:00+01:00",
                                              authors: ["Carla"], categories: ["Science"]))
        // No <link>: the rdf:about URL is the link.
        #expect(feed.entries[1].link == "https://example.org/two")
    }

    @Test func atomIsMatchedByNamespaceURIAndResolvesXMLBase() throws {
        let feed = try #require(try SourceFixture.feed("atom.xml", contentType: "application/atom+xml",
                                                       url: "https://feeds.example.net/atom.xml"))
        #expect(feed.format == .atom)
        #expect(feed.title == "Atom & Friends")
        #expect(feed.homePage == "https://blog.example.net/")
        // The <entry> in the unrelated default namespace is not an Atom entry.
        #expect(feed.entries.count == 3)
        let first = feed.entries[0]
        #expect(first.id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")
        #expect(first.link == "https://blog.example.net/posts/first.html")  // rel=alternate, not rel=edit
        #expect(first.title == "Based \u{E9}ntry")
        #expect(first.published == "2024-03-05T10:00:00Z")  // published wins over updated
        #expect(first.authors == ["Dee"])
        #expect(first.categories == ["swift"])
        #expect(feed.entries[1].link == "https://other.example.com/abs")
        #expect(feed.entries[1].published == "2024-03-08T09:15:00-05:00")
        #expect(feed.entries[1].authors == ["Feed Author"])  // inherited from the feed
        #expect(feed.entries[2].link == "https://cdn.example.org/a/b/c.html")  // the link's own xml:base
    }

    @Test func jsonFeedItemsKeepIdsURLsTagsAndAuthors() throws {
        let feed = try #require(try SourceFixture.feed("feed.json", contentType: "application/feed+json",
                                                       url: "https://json.example.com/feed.json"))
        #expect(feed.format == .jsonFeed)
        #expect(feed.title == "JSON Site")
        #expect(feed.homePage == "https://json.example.com/")
        #expect(feed.entries.count == 3)
        #expect(feed.entries[0] == Feed.Entry(id: "1", link: "https://json.example.com/one", title: "One",
                                              published: "2024-03-05T10:00:00+01:00", authors: ["Eve"],
                                              categories: ["a", "b"]))
        #expect(feed.entries[1].id == "2")  // a numeric id
        #expect(feed.entries[1].link == "https://json.example.com/two")
        #expect(feed.entries[1].authors == ["Feed Person"])
        #expect(feed.entries[2].link == "https://elsewhere.example/three")  // external_url without url
        #expect(feed.entries[2].title == nil)
    }

    @Test func entriesPastTheLimitAreDroppedAndTheFeedSaysTruncated() throws {
        let items = (0..<10).map { "<item><link>https://example.com/\($0)</link></item>" }.joined()
        let body = Data("<rss version=\"2.0\"><channel>\(items)</channel></rss>".utf8)
        guard case .feed(let feed) = try SourceDocument.read(body, limits: SourceLimits(entries: 4)) else {
            Issue.record("not a feed"); return
        }
        #expect(feed.entries.map(\.link) == (0..<4).map { "https://example.com/\($0)" })
        #expect(feed.truncated)
        guard case .feed(let whole) = try SourceDocument.read(body, limits: SourceLimits(entries: 10)) else {
            Issue.record("not a feed"); return
        }
        #expect(whole.entries.count == 10)
        #expect(!whole.truncated)
    }
}
