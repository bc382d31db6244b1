import Foundation
import Testing
@testable import DecantCore
@testable import DecantHTML
@testable import DecantExtract

/// Bylines become a list of names, without "By", roles, dates and social handles.
@Suite struct AuthorTests {
    @Test(arguments: [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Ann Lee, Bo Chen & Cy Dee", ["Ann Lee", "Bo Chen", "Cy Dee"]),
        ("Von Max Muster und Erika Mustermann", ["Max Muster", "Erika Mustermann"]),
        ("Par Claire Dubois et Luc Martin", ["Claire Dubois", "Luc Martin"]),
        ("TOM KRISHER, AP Auto Writer", ["TOM KRISHER"]),
        ("By Jane Doe, Staff Writer", ["Jane Doe"]),
        ("Jane Doe Senior Correspondent", ["Jane Doe"]),
        ("By Nathan Willis March 25, 2015", ["Nathan Willis"]),
        ("By GILLIAN MOHNEY March 11, 2015 3:46 PM", ["GILLIAN MOHNEY"]),
        ("Von Max Muster, 05.03.2024", ["Max Muster"]),
        ("By Jane Doe · March 5, 2024", ["Jane Doe"]),
        ("Joe Wee Monday", ["Joe Wee"]),
        ("Jane Doe @janedoe", ["Jane Doe"]),
        ("Follow @erinmcunningham", []),
        ("Our Foreign Staff", []),
        ("Staff Writer", []),
        ("Curie, Marie", ["Curie, Marie"]),
        ("https://facebook.com/someone", []),
    ])
    func bylinesBecomeNames(_ byline: String, _ names: [String]) {
        #expect(BylineCleaner.names(byline) == names)
    }

    @Test func aDeclaredAuthorKeepsDigitsAndRoleWordsWhenNothingElseIsLeft() {
        #expect(BylineCleaner.names("Channel 4 News", structured: true) == ["Channel 4 News"])
        #expect(BylineCleaner.names("Contributors to Wikimedia projects", structured: true)
                == ["Contributors to Wikimedia projects"])
    }

    @Test func severalAuthorsAreAListAndAJoinedString() throws {
        let html = """
            <html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
            "author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"By Bo Chen"}]}</script></head>
            <body><article><h1>H</h1><p>Some text of the article, long enough to be one.</p></article></body></html>
            """
        let article = try Extractor().extract(Data(html.utf8))
        #expect(article.authors == ["Ann Lee", "Bo Chen"])
        #expect(article.author == "Ann Lee, Bo Chen")
        let json = try #require(try JSONSerialization.jsonObject(with: article.jsonData()) as? [String: Any])
        #expect(json["authors"] as? [String] == ["Ann Lee", "Bo Chen"])
        #expect(json["author"] as? String == "Ann Lee, Bo Chen")
    }

    @Test func aBylineElementGivesItsNames() throws {
        let m = MetadataReader.read(try HTMLDocument(bytes: Data("""
            <html><body><div class="pb-byline">By <a href="/p/a">Ann Lee</a> and <a href="/p/b">Bo Chen</a></div>
            <span class="tweet-authors">Follow @annlee</span></body></html>
            """.utf8)), pageURL: nil)
        #expect(m.authors == ["Ann Lee", "Bo Chen"])
    }

    @Test func authorityIsNoAuthor() throws {
        let m = MetadataReader.read(try HTMLDocument(bytes: Data(
            "<html><body><div class=\"authority-control\">Authority control</div></body></html>".utf8)), pageURL: nil)
        #expect(m.authors.isEmpty)
    }
}
