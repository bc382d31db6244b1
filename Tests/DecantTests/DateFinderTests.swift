import Foundation
import Testing
@testable import DecantHTML
@testable import DecantExtract

/// The publication and update dates from each place a page states them, in order of trust, with
/// the plausibility and time-zone rules.
@Suite struct DateFinderTests {
    static let now = Date(timeIntervalSince1970: 1_733_000_000)  // 2024-11-30T20:53:20Z

    static func read(_ head: String = "", body: String = "<p>Text</p>", url: String? = "https://news.example/a/b.html",
                     lang: String = "en-GB", now: Date = now) throws -> PageMetadata {
        let html = "<!DOCTYPE html><html lang=\"\(lang)\"><head>\(head)</head><body>\(body)</body></html>"
        return MetadataReader.read(try HTMLDocument(bytes: Data(html.utf8)), pageURL: url, now: now)
    }

    static func ld(_ json: String) -> String { "<script type=\"application/ld+json\">\(json)</script>" }

    // MARK: - Sources

    @Test func jsonLDComesFirst() throws {
        let m = try Self.read(Self.ld("{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-03-05T10:00:00+01:00\","
                                      + "\"dateModified\":\"2024-03-06T09:00:00+01:00\"}")
                              + "<meta property=\"article:published_time\" content=\"2024-03-05T09:00:00Z\">")
        #expect(m.published == "2024-03-05T10:00:00+01:00")
        #expect(m.modified == "2024-03-06T09:00:00+01:00")
    }

    /// One table of meta names, compared without case and separators.
    @Test(arguments: [
        ("<meta name=\"DC:date\" content=\"2021-07-09\">", "2021-07-09"),
        ("<meta name=\"DC.Date.Issued\" content=\"2021-07-09\">", "2021-07-09"),
        ("<meta property=\"Article:Published_Time\" content=\"2021-07-09T08:00:00+02:00\">", "2021-07-09T08:00:00+02:00"),
        ("<meta name=\"sw-pubdate\" content=\"2021-07-09\">", "2021-07-09"),
        ("<meta name=\"parsely-pub-date\" content=\"2021-07-09T06:00:00Z\">", "2021-07-09T06:00:00Z"),
        ("<meta itemprop=\"uploadDate\" content=\"2021-07-09\">", "2021-07-09"),
        ("<meta name=\"publish_date\" content=\"09.07.2021\">", "2021-07-09"),
        ("<meta http-equiv=\"date\" content=\"Fri, 09 Jul 2021 08:00:00 GMT\">", "2021-07-09T08:00:00Z"),
    ])
    func metaNamesOfPublicationDates(_ head: String, _ published: String) throws {
        #expect(try Self.read(head).published == published)
    }

    @Test(arguments: [
        "<meta property=\"og:updated_time\" content=\"2021-07-10\">",
        "<meta itemprop=\"dateupdate\" content=\"2021-07-10\">",
        "<meta name=\"dateUpdate\" content=\"2021-07-10\">",
        "<meta http-equiv=\"last-modified\" content=\"2021-07-10\">",
    ])
    func updateNamesGiveTheUpdateNeverThePublication(_ head: String) throws {
        let m = try Self.read(head)
        #expect(m.modified == "2021-07-10")
        #expect(m.published == nil)
    }

    @Test func microdataOnAnElement() throws {
        let m = try Self.read(body: "<h1>T</h1><span itemprop=\"datePublished\" content=\"2020-02-02\">Feb 2</span>")
        #expect(m.published == "2020-02-02")
    }

    @Test func markedTimeElementsWithAndWithoutItemprop() throws {
        let pubdate = try Self.read(body: "<article><h1>T</h1><time pubdate datetime=\"2020-03-03\">x</time></article>")
        #expect(pubdate.published == "2020-03-03")
        let wordpress = try Self.read(body: """
            <article><h1>T</h1><time class="entry-date published" datetime="2020-03-03T08:00:00+00:00">x</time>
            <time class="updated" datetime="2020-03-09T08:00:00+00:00">y</time></article>
            """)
        #expect(wordpress.published == "2020-03-03T08:00:00Z")
        #expect(wordpress.modified == "2020-03-09T08:00:00Z")
        let unmarked = try Self.read(body: """
            <aside><time datetime="2019-01-01">Other story</time></aside>
            <article><h1>Title</h1><p>By Ann</p><time datetime="2020-04-04">April 4</time></article>
            """)
        #expect(unmarked.published == "2020-04-04")
    }

    @Test func theURLPath() throws {
        #expect(try Self.read(url: "https://news.example/2019/08/16/storm/").published == "2019-08-16")
        #expect(try Self.read(url: "https://news.example/2019/08/storm/").published == nil)
    }

    @Test func jsonOutsideLDAndLDThatDoesNotParse() throws {
        let state = try Self.read("<script>window.__STATE__={\"article\":{\"id\":5,\"publishedAt\":\"2022-05-01T10:00:00Z\"}}</script>")
        #expect(state.published == "2022-05-01T10:00:00Z")
        let escaped = try Self.read("<script>var s=\"{\\\"datePublished\\\":\\\"2022-05-02\\\"}\";</script>")
        #expect(escaped.published == "2022-05-02")
        let broken = try Self.read(Self.ld("{\"@type\":\"Article\", oops \"datePublished\": \"2022-05-03\", }}}"))
        #expect(broken.published == "2022-05-03")
    }

    /// Text near the headline and the byline, in every language the cleaner supports.
    @Test(arguments: [
        ("en-US", "By Jane Doe | March 5, 2024 | 3 min read", "2024-03-05"),
        ("de", "Von Max Muster, 5. März 2024, 14:05 Uhr", "2024-03-05"),
        ("fr", "Par Claire Dubois, publié le 5 mars 2024", "2024-03-05"),
        ("es", "Por Ana García, 5 de marzo de 2024", "2024-03-05"),
        ("it", "Di Marco Rossi, 5 marzo 2024", "2024-03-05"),
        ("pt", "Por João Silva, 5 de março de 2024", "2024-03-05"),
        ("ru", "Иван Петров, 5 марта 2024", "2024-03-05"),
        ("nl", "Door Jan Jansen, 5 maart 2024", "2024-03-05"),
        ("pl", "Jan Kowalski, 5 marca 2024", "2024-03-05"),
        ("en-GB", "Posted on 05/03/2024", "2024-03-05"),
        ("en-US", "Posted on 03/05/2024", "2024-03-05"),
        ("de", "Datum: 05.03.2024", "2024-03-05"),
        ("en", "2024/03/05", "2024-03-05"),
    ])
    func textNearTheHeadline(_ lang: String, _ line: String, _ published: String) throws {
        let m = try Self.read(body: "<article><h1>The headline</h1><div class=\"x\">\(line)</div>"
                              + "<p>The article starts here and goes on for a while.</p></article>", lang: lang)
        #expect(m.published == published)
    }

    @Test func aDateInsideASentenceIsNotTheBylineDate() throws {
        let m = try Self.read(body: """
            <h1>Headline</h1><p class="caption">The actress arrives at the annual charity gala on May 18, 2012, in Century City, California, to loud cheers.</p>
            <div class="meta">Posted July 24, 2012</div>
            """, lang: "en-US")
        #expect(m.published == "2012-07-24")
    }

    @Test func dateAndBylineElementsByClass() throws {
        let m = try Self.read(body: "<p>Intro</p><span class=\"post-date\">12.01.2023</span>", lang: "de")
        #expect(m.published == "2023-01-12")
    }

    @Test func attributesAndTheTitle() throws {
        let attr = try Self.read(body: "<h1>T</h1><div data-publish-timestamp=\"1709632800\">x</div>")
        #expect(attr.published == "2024-03-05T10:00:00Z")
        let title = try Self.read("<title>Una solución - 07.12.2017 - LA NACION</title>", lang: "es")
        #expect(title.published == "2017-12-07")
    }

    @Test func aCuedDateAnywhereOnThePage() throws {
        let m = try Self.read(body: "<h1>T</h1><p>Body text.</p><footer><p>Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023</p></footer>",
                              lang: "de")
        #expect(m.published == "2023-11-01")
        #expect(m.modified == "2023-10-31" || m.modified == nil)
    }

    // MARK: - Rules

    @Test func futureAndPre1995DatesAreNotPlausible() throws {
        let future = try Self.read("<meta property=\"article:published_time\" content=\"2031-01-01T00:00:00Z\">",
                                   url: "https://news.example/2024/03/05/x")
        #expect(future.published == "2024-03-05")
        let old = try Self.read("<meta property=\"article:published_time\" content=\"1970-01-01T00:00:00Z\">")
        #expect(old.published == nil)
        // Relative to the fetch: the same date is plausible when fetched later.
        let later = try Self.read("<meta property=\"article:published_time\" content=\"2031-01-01T00:00:00Z\">",
                                  now: Date(timeIntervalSince1970: 1_990_000_000))
        #expect(later.published == "2031-01-01T00:00:00Z")
        // A day ahead of UTC is allowed for a date without zone (pages east of UTC).
        let tomorrow = try Self.read("<meta name=\"date\" content=\"2024-12-01\">")
        #expect(tomorrow.published == "2024-12-01")
    }

    @Test func aUTCTimeTakesThePagesOwnOffsetForTheSameInstant() throws {
        let m = try Self.read(Self.ld("{\"@type\":\"Article\",\"dateCreated\":\"2017-02-24T01:18:13Z\"}")
                              + "<meta property=\"article:published_time\" content=\"2017-02-23T17:18:13-08:00\">")
        #expect(m.published == "2017-02-23T17:18:13-08:00")
    }

    @Test func aUTCTimeTakesTheLocalDayThePageShows() throws {
        // The <time> of that instant shows the page's local time: the offset follows from the two.
        let rendered = try Self.read(Self.ld("{\"@type\":\"Article\",\"datePublished\":\"2019-11-19T01:19:34Z\"}"),
                                     body: "<h1>T</h1><time datetime=\"2019-11-19T01:19:34Z\">Posted Nov 18, 8:19 PM</time>",
                                     lang: "en-US")
        #expect(rendered.published == "2019-11-18T20:19:34-05:00")
        // The visible date line gives the day alone.
        let line = try Self.read("<meta property=\"article:published_time\" content=\"2018-06-12T23:00:00Z\">",
                                 body: "<h1>T</h1><div>On 6/13/2018 by Ann</div>", lang: "en-US")
        #expect(line.published == "2018-06-13")
        // No evidence of another day: the UTC value stays as written.
        let plain = try Self.read("<meta property=\"article:published_time\" content=\"2018-06-12T23:00:00Z\">")
        #expect(plain.published == "2018-06-12T23:00:00Z")
    }

    @Test func aRepublishedPageKeepsItsFirstDay() throws {
        // JSON-LD moved to the republication; the meta tag and the URL keep the first day.
        let m = try Self.read(Self.ld("{\"@type\":\"NewsArticle\",\"datePublished\":\"2021-03-14T19:14:36Z\"}")
                              + "<meta property=\"article:published_time\" content=\"2021-03-08T11:15:28Z\">",
                              url: "https://news.example/2021/03/08/story/index.html")
        #expect(m.published == "2021-03-08T11:15:28Z")
    }

    @Test func anUpdateEarlierThanThePublicationIsDropped() throws {
        let m = try Self.read("<meta property=\"article:published_time\" content=\"2021-03-08\">"
                              + "<meta property=\"article:modified_time\" content=\"2021-03-01\">")
        #expect(m.published == "2021-03-08")
        #expect(m.modified == nil)
    }
}
