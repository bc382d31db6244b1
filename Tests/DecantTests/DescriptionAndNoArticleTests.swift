import Foundation
import Testing
@testable import DecantCore
@testable import DecantExtract
import DecantTestSupport

/// The description falls back to the first paragraph; a page without an article keeps its metadata.
@Suite struct DescriptionAndNoArticleTests {
    static let body = "<article><h1>Headline</h1><p>Short.</p><p>The first real paragraph of the article, "
        + "with enough words to describe it well.</p><p>More text follows here, as articles go.</p></article>"

    @Test func aMetaDescriptionIsMarkedMeta() throws {
        let html = "<html><head><meta name=\"description\" content=\"What it is about\"></head><body>\(Self.body)</body></html>"
        let a = try Extractor().extract(Data(html.utf8))
        #expect(a.description == "What it is about")
        #expect(a.descriptionSource == .meta)
    }

    @Test func withoutOneTheFirstParagraphIsTheDescription() throws {
        let a = try Extractor().extract(Data("<html><body>\(Self.body)</body></html>".utf8))
        #expect(a.description == "The first real paragraph of the article, with enough words to describe it well.")
        #expect(a.descriptionSource == .text)
        let json = String(decoding: a.jsonData(), as: UTF8.self)
        #expect(json.contains("\"descriptionSource\" : \"text\""))
    }

    @Test func aLongFirstParagraphIsCutAtAWord() throws {
        let long = String(repeating: "word ", count: 200)
        let a = try Extractor().extract(Data("<html><body><article><p>\(long)</p><p>\(long)</p></article></body></html>".utf8))
        let d = try #require(a.description)
        #expect(d.count <= ArticleAssembler.maxLeadCharacters + 1 && d.hasSuffix("…"))
    }

    static let noArticle = """
        <html lang="de"><head><title>Login | Courier</title>
        <meta property="og:title" content="Members only"><meta name="author" content="Ann Lee">
        <meta property="article:published_time" content="2024-03-05T10:00:00+01:00">
        <link rel="canonical" href="https://courier.example/members"></head>
        <body><nav><a href="/">Home</a></nav><form><input name="user"></form></body></html>
        """

    static func outcome(_ html: String, url: String?) -> Result<Article, ExtractError> {
        do { return .success(try Extractor().extract(Data(html.utf8), url: url)) } catch { return .failure(error) }
    }

    @Test func aPageWithoutAnArticleThrowsWithItsMetadata() throws {
        let result = Self.outcome(Self.noArticle, url: "https://courier.example/members?x=1")
        guard case .failure(.noContent(let m)) = result else { Issue.record("an article was found"); return }
        do {
            #expect(m.title == "Members only")
            #expect(m.authors == ["Ann Lee"])
            #expect(m.published == "2024-03-05T10:00:00+01:00")
            #expect(m.language == "de")
            #expect(m.canonicalUrl == "https://courier.example/members")
            #expect(m.text.isEmpty && m.markdown == nil && m.wordCount == 0)
            #expect(m.error == "no article content found")
            let json = try #require(try JSONSerialization.jsonObject(with: m.jsonData()) as? [String: Any])
            #expect(json["error"] as? String == "no article content found")
            #expect(json["text"] as? String == "")
        }
    }

    @Test func theSpoolRecordsSuchAPageInFailedWithItsMetadata() async throws {
        let spool = try TestSpool()
        defer { spool.remove() }
        try spool.drop("job", "https://courier.example/members\n")
        let html = Data(Self.noArticle.utf8)
        try await spool.runOnce(fetcher: { _, _ in
            StubFetcher { .fetched(FetchedPage(url: $0, finalURL: $0, status: 200, contentType: "text/html",
                                               declaredCharset: "utf-8", body: html)) }
        })
        #expect(try spool.articles().isEmpty)
        let record = try #require(try spool.records(spool.layout.failed).first)
        #expect(record.error == "no article content found")
        #expect(record.metadata?.title == "Members only")
        #expect(record.metadata?.published == "2024-03-05T10:00:00+01:00")
        #expect(record.metadata?.fetchedAt != nil)
        #expect(record.metadata?.error == "no article content found")
    }

    @Test func articlesAreUnchangedByTheErrorField() throws {
        let a = try Extractor().extract(Data("<html><body>\(Self.body)</body></html>".utf8))
        #expect(a.error == nil)
        #expect(!String(decoding: a.jsonData(), as: UTF8.self).contains("\"error\""))
    }
}
