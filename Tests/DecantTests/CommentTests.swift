import Foundation
import Testing
import DecantTestSupport
import DecantCore
@testable import DecantExtract

/// Reader comments (`clean.keepComments`): found apart from the article, never in its text.
@Suite struct CommentTests {
    struct Expectation: Decodable {
        struct Comment: Decodable {
            var author: String?
            var published: String?
            var text: String
        }
        var text_include: [String]
        /// The comments, all of them, in page order.
        var comments: [Comment]
        /// Controls and forms of the comment section: in neither the text nor any comment.
        var nowhere: [String]
    }

    static let cases = FixturePaths.cases(in: "comments")

    static var keeping: Extractor {
        var options = CleanConfig()
        options.keepComments = true
        return Extractor(options: options)
    }

    static func load(_ name: String) throws -> (page: Data, expected: Expectation) {
        let page = try FixturePaths.data("comments/\(name)/page.html")
        let expected = try JSONDecoder().decode(Expectation.self, from: FixturePaths.data("comments/\(name)/expected.json"))
        return (page, expected)
    }

    static func url(_ name: String) -> String { "https://courier.example/comments/\(name)" }

    @Test func thereAreWordPressDisqusForumAndClosedPages() {
        #expect(Set(Self.cases).isSuperset(of: ["wordpress", "disqus", "forum", "closed"]))
    }

    @Test(arguments: cases)
    func eachCommentIsFoundWithItsAuthorDateAndText(_ name: String) throws {
        let (page, expected) = try Self.load(name)
        let article = try Self.keeping.extract(page, url: Self.url(name))
        let found = article.comments ?? []
        #expect(found.map(\.text) == expected.comments.map(\.text), "\(name)")
        #expect(found.map(\.author) == expected.comments.map(\.author), "\(name)")
        #expect(found.map(\.published) == expected.comments.map(\.published), "\(name)")
        if expected.comments.isEmpty { #expect(article.comments == nil, "\(name): an empty list is no field") }
    }

    @Test(arguments: cases)
    func noCommentLeaksIntoTheArticle(_ name: String) throws {
        let (page, expected) = try Self.load(name)
        let article = try Self.keeping.extract(page, url: Self.url(name))
        let text = folded(article.text)
        for snippet in expected.text_include {
            #expect(text.contains(folded(snippet)), "\(name): missing \(snippet.prefix(60))")
        }
        for comment in expected.comments {
            for paragraph in comment.text.components(separatedBy: "\n\n") {
                #expect(!article.text.contains(paragraph), "\(name): comment in text: \(paragraph.prefix(60))")
                #expect(!(article.markdown ?? "").contains(paragraph), "\(name): comment in markdown: \(paragraph.prefix(60))")
            }
        }
        let comments = (article.comments ?? []).map(\.text).joined(separator: "\n")
        for snippet in expected.nowhere {
            #expect(!article.text.contains(snippet), "\(name): \(snippet) in the text")
            #expect(!comments.contains(snippet), "\(name): \(snippet) in a comment")
        }
    }

    @Test(arguments: cases)
    func keepingCommentsLeavesTheArticleUnchanged(_ name: String) throws {
        let (page, _) = try Self.load(name)
        let plain = try Extractor().extract(page, url: Self.url(name))
        var kept = try Self.keeping.extract(page, url: Self.url(name))
        #expect(plain.comments == nil)
        kept.comments = nil
        #expect(kept == plain, "\(name)")
    }

    @Test(arguments: FixturePaths.cases(in: "cleaner"))
    func keepingCommentsLeavesEveryCleanerFixtureUnchanged(_ name: String) throws {
        let page = try FixturePaths.data("cleaner/\(name)/page.html")
        let url = "https://courier.example/news/\(name)"
        var kept = try Self.keeping.extract(page, url: url)
        for comment in kept.comments ?? [] { #expect(!kept.text.contains(comment.text), "\(name): \(comment.text.prefix(60))") }
        kept.comments = nil
        #expect(kept == (try Extractor().extract(page, url: url)), "\(name)")
    }

    @Test func withoutKeepCommentsTheJSONHasNoCommentsField() throws {
        let (page, _) = try Self.load("wordpress")
        let article = try Extractor().extract(page, url: Self.url("wordpress"))
        #expect(article.comments == nil)
        #expect(!String(decoding: article.jsonData(), as: UTF8.self).contains("\"comments\""))
        #expect(article.markdownDocument == article.markdown)
    }

    @Test func aPageWithoutCommentsHasNoCommentsField() throws {
        for name in ["closed"] {
            let (page, _) = try Self.load(name)
            let article = try Self.keeping.extract(page, url: Self.url(name))
            #expect(article.comments == nil)
            #expect(!String(decoding: article.jsonData(), as: UTF8.self).contains("\"comments\""))
        }
        let plain = Data("<html><body><article><p>\(String(repeating: "A plain story with no comments at all, told at length. ", count: 12))</p></article></body></html>".utf8)
        #expect(try Self.keeping.extract(plain).comments == nil)
    }

    @Test func aNestedReplyIsACommentOfItsOwnAndNotPartOfItsParent() throws {
        let (page, _) = try Self.load("wordpress")
        let comments = try Self.keeping.extract(page, url: Self.url("wordpress")).comments ?? []
        #expect(comments.count == 3)
        #expect(comments.first.map { !$0.text.contains("rainwater tank") } == true)
    }

    @Test func theMarkdownFilePutsTheCommentsAfterARuleAndAHeading() throws {
        let (page, _) = try Self.load("wordpress")
        let article = try Self.keeping.extract(page, url: Self.url("wordpress"))
        let markdown = try #require(article.markdown)
        let document = article.markdownDocument
        #expect(document.hasPrefix(markdown + "\n\n---\n\n## Comments\n\n### Ann Keller · 2024-03-05T10:12:00Z\n\n"
                                   + "Good news at last."))
        #expect(document.contains("\n\n### Tom\\_B · 2024-03-06T07:05:00Z\n\n"), "markdown characters in names are escaped")
        #expect(FrontMatter.document(article).hasSuffix(document))
        #expect(!article.text.contains("## Comments"))
    }

    @Test func aCommentWithoutAuthorOrDateIsNumberedInTheMarkdown() {
        var article = Article(id: "x", url: nil, canonicalUrl: nil, title: "T", author: nil, published: nil, modified: nil,
                              siteName: nil, description: nil, language: nil, image: nil, tags: [], text: "Body",
                              markdown: "# T\n\nBody", wordCount: 1, fingerprint: "f")
        article.comments = [.init(text: "First *line*\nsecond line\n\nAnother paragraph")]
        #expect(article.markdownDocument
                == "# T\n\nBody\n\n---\n\n## Comments\n\n### Comment 1\n\nFirst \\*line\\*  \nsecond line\n\nAnother paragraph")
    }

    @Test func theJSONCarriesTheCommentsAndDecodesToTheSameArticle() throws {
        let (page, _) = try Self.load("disqus")
        let article = try Self.keeping.extract(page, url: Self.url("disqus"))
        #expect(article.comments?.count == 3)
        let data = article.jsonData()
        #expect(try JSONDecoder().decode(Article.self, from: data) == article)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let ours = try JSONSerialization.jsonObject(with: data) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: encoder.encode(article)) as? NSDictionary
        // Articles write absent fields as null (the synthesized encoder leaves them out): compare the comments.
        #expect(ours?["comments"] as? NSArray == theirs?["comments"] as? NSArray)
        #expect(ours?["comments"] != nil)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"comments\" : [\n    {\n      \"author\" : \"Kim Lee\",\n      \"published\" : \"2024-03-05\",\n      \"text\" : "))
        #expect(json.contains("{\n      \"author\" : \"Guest\",\n      \"text\" : "), "an absent date is left out")
    }
}
