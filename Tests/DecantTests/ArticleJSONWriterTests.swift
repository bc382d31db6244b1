import Foundation
import Testing
import DecantCore
@testable import DecantExtract

struct ArticleJSONWriterTests {
    static let tricky = "Quote \" backslash \\ tab\tnewline\nbell\u{07} slash / ünïcödé 日本 \u{1F600}"

    static func article(http: Bool) -> Article {
        Article(id: "0123456789abcdef", url: "https://a.example/x?y=1", canonicalUrl: nil, title: tricky,
                author: "Ann \"Lee\"", published: "2024-03-05", modified: nil, siteName: "Site",
                description: nil, language: "de", image: nil, tags: http ? ["a", "b \\ c"] : [],
                text: tricky + "\n\n" + tricky, markdown: "# T\n\n| a \\| b |", wordCount: 42,
                fingerprint: "fedcba9876543210",
                fetchedAt: http ? "2026-11-28T12:00:00Z" : nil,
                http: http ? .init(status: 200, contentType: "text/html", charset: nil, finalUrl: "https://a.example/x") : nil,
                duplicateOf: http ? "aaaa" : nil)
    }

    @Test(arguments: [false, true])
    func theJSONDecodesToTheSameArticle(http: Bool) throws {
        let a = Self.article(http: http)
        let decoded = try JSONDecoder().decode(Article.self, from: a.jsonData())
        #expect(decoded == a)
    }

    @Test func theJSONMatchesFoundationsOutputAsAValueButForTheNulls() throws {
        let a = Self.article(http: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let ours = try #require(try JSONSerialization.jsonObject(with: a.jsonData()) as? [String: Any])
        let theirs = try JSONSerialization.jsonObject(with: encoder.encode(a)) as? NSDictionary
        #expect(NSDictionary(dictionary: ours.filter { !($0.value is NSNull) }) == theirs)
    }

    @Test func absentOptionalFieldsAreNullAndFetchFactsAreLeftOut() throws {
        let json = String(decoding: Self.article(http: false).jsonData(), as: UTF8.self)
        #expect(json.contains("\"canonicalUrl\" : null"))
        #expect(!json.contains("fetchedAt"))
        #expect(!json.contains("duplicateOf"))
        #expect(json.contains("\"tags\" : []"))
    }

    @Test func anArticleInsideARecordIsWrittenAsOnItsOwnOneLevelDeeper() throws {
        struct Record: Encodable { var metadata: Article }
        let a = Self.article(http: true)
        let nested = String(decoding: try JSONValueEncoder().encode(Record(metadata: a)), as: UTF8.self)
        let alone = String(decoding: a.jsonData(), as: UTF8.self).replacingOccurrences(of: "\n", with: "\n  ")
        #expect(nested == "{\n  \"metadata\" : " + alone + "\n}")
    }
}
