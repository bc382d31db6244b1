import Foundation
import Testing
@testable import DecantHTML
@testable import DecantExtract

/// Metadata from JSON-LD, OpenGraph, Twitter, Dublin Core, citation tags, `<time>` and bylines.
@Suite struct MetadataReaderTests {
    static func read(_ head: String, body: String = "<p>Text</p>", url: String? = "https://news.example/a/b.html")
        throws -> PageMetadata {
        let html = "<!DOCTYPE html><html lang=\"en-gb\"><head>\(head)</head><body>\(body)</body></html>"
        return MetadataReader.read(try HTMLDocument(bytes: Data(html.utf8)), pageURL: url)
    }

    static func ld(_ json: String) -> String { "<script type=\"application/ld+json\">\(json)</script>" }

    @Test func anItempropListNamesEachProperty() throws {
        let m = try Self.read("""
            <meta property="article:published" itemprop="datePublished dateCreated" content="2019-11-19T11:00:09.000Z">
            """)
        #expect(m.published?.hasPrefix("2019-11-19T11:00:09") == true)
    }

    @Test func jsonLDNewsArticleFillsEveryField() throws {
        let m = try Self.read(Self.ld("""
            {"@context":"https://schema.org","@type":"NewsArticle","headline":"Bridge &amp; river",
             "author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chen"}],
             "publisher":{"@type":"Organization","name":"Courier"},"datePublished":"2024-03-05T10:00:00+01:00",
             "dateModified":"2024-03-06","description":"About a bridge","image":{"@type":"ImageObject","url":"/img/a.jpg"},
             "keywords":"bridges, council ,rivers","inLanguage":"de-AT","articleBody":"Body text",
             "mainEntityOfPage":{"@id":"https://news.example/bridge"}}
            """))
        #expect(m.title == "Bridge & river")
        #expect(m.author == "Ann Lee, Bo Chen")
        #expect(m.siteName == "Courier")
        #expect(m.published == "2024-03-05T10:00:00+01:00")
        #expect(m.modified == "2024-03-06")
        #expect(m.description == "About a bridge")
        #expect(m.image == "https://news.example/img/a.jpg")
        #expect(m.tags == ["bridges", "council", "rivers"])
        #expect(m.language == "de-AT")
        #expect(m.articleBody == "Body text")
        #expect(m.canonicalURL == "https://news.example/bridge")
    }

    @Test func graphNodesAndIdReferencesAreFollowed() throws {
        let m = try Self.read(Self.ld("""
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"#site","name":"Yoast Site"},
              {"@type":"WebPage","@id":"#page","name":"Page name - Yoast Site","inLanguage":"en-US"},
              {"@type":"Article","headline":"Graph headline","author":{"@id":"#person"},
               "publisher":{"@id":"#org"},"datePublished":"2023-11-02T08:00:00Z","keywords":["a","b"]},
              {"@type":"Person","@id":"#person","name":"Greta Graph"},
              {"@type":"Organization","@id":"#org","name":"Graph Org"}]}
            """))
        #expect(m.title == "Graph headline")
        #expect(m.author == "Greta Graph")
        #expect(m.siteName == "Graph Org")
        #expect(m.published == "2023-11-02T08:00:00Z")
        #expect(m.tags == ["a", "b"])
        #expect(m.language == "en-US")
    }

    @Test func aTopLevelArrayAndAStringAuthorAreRead() throws {
        let m = try Self.read(Self.ld("""
            [{"@type":"BreadcrumbList"},{"@type":["BlogPosting"],"name":"Array post","author":"Sam Small",
              "image":["https://cdn.example/1.jpg","https://cdn.example/2.jpg"]}]
            """))
        #expect(m.title == "Array post")
        #expect(m.author == "Sam Small")
        #expect(m.image == "https://cdn.example/1.jpg")
    }

    @Test func brokenJSONIsRepairedOrSkipped() throws {
        let repaired = try Self.read(Self.ld("""
            <!--//--><![CDATA[//><!--
            {"@type":"Article","headline":"Line\tbreak
            title","author":{"name":"Trail Comma",},}
            //--><!]]>
            """))
        #expect(repaired.title == "Line break title")
        #expect(repaired.author == "Trail Comma")
        let skipped = try Self.read(Self.ld("{\"@type\":\"Article\",\"headline\": oops}")
            + "<title>Fallback title</title>")
        #expect(skipped.title == "Fallback title")
    }

    @Test func openGraphAndArticleTagsAreRead() throws {
        let m = try Self.read("""
            <meta property="og:title" content="OG title"><meta property="og:site_name" content="OG Site">
            <meta property="og:description" content="OG description"><meta property="og:image" content="/og.png">
            <meta property="og:url" content="https://news.example/og"><meta property="og:locale" content="fr_FR">
            <meta property="article:published_time" content="2022-01-02T03:04:05Z">
            <meta property="article:modified_time" content="2022-01-03">
            <meta property="article:author" content="https://facebook.com/someone">
            <meta property="article:tag" content="one"><meta property="article:tag" content="two">
            <meta name="author" content="Meta Author">
            """)
        #expect(m.title == "OG title")
        #expect(m.siteName == "OG Site")
        #expect(m.description == "OG description")
        #expect(m.image == "https://news.example/og.png")
        #expect(m.canonicalURL == "https://news.example/og")
        #expect(m.language == "fr-FR")
        #expect(m.published == "2022-01-02T03:04:05Z")
        #expect(m.modified == "2022-01-03")
        #expect(m.author == "Meta Author")  // the article:author URL is not a name
        #expect(m.tags == ["one", "two"])
    }

    @Test func twitterTagsFillWhatOpenGraphLacks() throws {
        let m = try Self.read("""
            <meta name="twitter:title" content="Tweet title"><meta name="twitter:description" content="Tweet text">
            <meta name="twitter:image" content="https://img.example/t.jpg">
            """)
        #expect(m.title == "Tweet title")
        #expect(m.description == "Tweet text")
        #expect(m.image == "https://img.example/t.jpg")
    }

    @Test func dublinCoreAndCitationTagsAreRead() throws {
        let dc = try Self.read("""
            <meta name="DC.title" content="DC title"><meta name="DC.creator" content="Dora Core">
            <meta name="dcterms.date" content="2021/07/09"><meta name="DC.language" content="nl">
            <meta name="DC.subject" content="history; maps">
            """)
        #expect(dc.title == "DC title")
        #expect(dc.author == "Dora Core")
        #expect(dc.published == "2021-07-09")
        #expect(dc.language == "nl")
        #expect(dc.tags == ["history", "maps"])
        let citation = try Self.read("""
            <meta name="citation_title" content="A study"><meta name="citation_author" content="Curie, Marie">
            <meta name="citation_author" content="Bohr, Niels"><meta name="citation_publication_date" content="2019/05/01">
            """)
        #expect(citation.title == "A study")
        #expect(citation.author == "Curie, Marie, Bohr, Niels")
        #expect(citation.published == "2019-05-01")
    }

    @Test func timeElementsPreferDatePublishedAndTheArticle() throws {
        let m = try Self.read("", body: """
            <header><time datetime="2020-01-01">Site clock</time></header>
            <article><h1>Head</h1><time datetime="2021-02-02T10:00:00+02:00">Feb 2</time>
            <time itemprop="dateModified" datetime="2021-02-03">changed</time></article>
            """)
        #expect(m.published == "2021-02-02T10:00:00+02:00")
        #expect(m.modified == "2021-02-03")
        let itemprop = try Self.read("", body: """
            <time datetime="2020-01-01">x</time><article><time itemprop="datePublished" datetime="2019-09-09">y</time></article>
            """)
        #expect(itemprop.published == "2019-09-09")
    }

    @Test func bylinesLoseTheirByAndTrailingDate() throws {
        let byClass = try Self.read("", body: "<div class=\"post-byline\">By Jane Doe · March 5, 2024</div>")
        #expect(byClass.author == "Jane Doe")
        let german = try Self.read("", body: "<p class=\"author\">Von Max Muster, 05.03.2024</p>")
        #expect(german.author == "Max Muster")
        let rel = try Self.read("", body: "<div class=\"meta\">Par <a rel=\"author\" href=\"/a\">Claire Dubois</a></div>")
        #expect(rel.author == "Claire Dubois")
        let metaBy = try Self.read("<meta name=\"author\" content=\"By TOM KRISHER, AP Auto Writer\">")
        #expect(metaBy.author == "TOM KRISHER")  // the role is not a name
        let comment = try Self.read("", body: "<div class=\"comment-author\">Troll Person</div>")
        #expect(comment.author == nil)
    }

    @Test func jsonLDBeatsOpenGraphWhichBeatsTheTitleElement() throws {
        let m = try Self.read("<title>Doc title | Site</title><meta property=\"og:title\" content=\"OG title\">"
            + "<meta property=\"article:published_time\" content=\"2020-05-05\">"
            + Self.ld("{\"@type\":\"Article\",\"headline\":\"LD title\",\"datePublished\":\"2021-06-06\"}"))
        #expect(m.title == "LD title")
        #expect(m.published == "2021-06-06")
        let og = try Self.read("<title>Doc title | Site</title><meta property=\"og:title\" content=\"OG title\">")
        #expect(og.title == "OG title")
        let plain = try Self.read("<title>Doc title | Site</title>")
        #expect(plain.title == "Doc title | Site")
        let h1 = try Self.read("", body: "<svg><title>icon</title></svg><h1>Only heading</h1>")
        #expect(h1.title == "Only heading")
    }

    @Test func baseCanonicalAndLanguageComeFromTheDocument() throws {
        let m = try Self.read("<base href=\"/static/\"><link rel=\"canonical\" href=\"story.html\">"
            + "<meta property=\"og:url\" content=\"https://elsewhere.example/\">")
        #expect(m.baseURL == "https://news.example/static/")
        #expect(m.canonicalURL == "https://news.example/static/story.html")
        #expect(m.language == "en-GB")
    }
}
