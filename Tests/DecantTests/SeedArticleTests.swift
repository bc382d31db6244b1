import Foundation
import Testing
@testable import DecantExtract
import DecantTestSupport

/// The seed article (a news page with navigation, ads, cookie banner, share bar, newsletter box,
/// comments, related and recommended blocks) must come out whole and clean.
@Suite struct SeedArticleTests {
    struct Expectation: Decodable {
        var must_include: [String]
        var must_exclude: [String]
        var title: String
        var author: String
        var date: String
    }

    /// Folds whitespace, case and typographic apostrophes, as the fixture's check.py does.
    static func normalized(_ s: String) -> String {
        folded(s.replacingOccurrences(of: "\u{2019}", with: "'")).lowercased()
    }

    @Test func everyParagraphAndHeadingIsKeptAndNoFurnitureLeaks() throws {
        let page = try FixturePaths.data("seed-article/semantic.html")
        let expected = try JSONDecoder().decode(Expectation.self, from: FixturePaths.data("seed-article/expected.json"))
        let text = Self.normalized(try Extractor().extract(page).text)
        let missing = expected.must_include.filter { !text.contains(Self.normalized($0)) }
        let leaked = expected.must_exclude.filter { text.contains(Self.normalized($0)) }
        #expect(missing.isEmpty, "missing: \(missing.map { $0.prefix(50) })")
        #expect(leaked.isEmpty, "leaked: \(leaked)")
    }

    @Test func blockBoundariesNeverRunTitlesTogether() throws {
        let page = try FixturePaths.data("seed-article/semantic.html")
        let text = try Extractor().extract(page).text
        #expect(!text.contains("ImplicationsBiggest"))
        #expect(text.contains("\n\n"))
    }

    @Test func titleAuthorAndDateMatchTheExpectation() throws {
        let page = try FixturePaths.data("seed-article/semantic.html")
        let expected = try JSONDecoder().decode(Expectation.self, from: FixturePaths.data("seed-article/expected.json"))
        let article = try Extractor().extract(page)
        // As check.py: the expected value, normalised, is contained in the extracted one.
        #expect(Self.normalized(article.title).contains(Self.normalized(expected.title)))
        #expect(Self.normalized(article.title) == Self.normalized(expected.title), "site name left in the title")
        #expect(Self.normalized(article.author ?? "").contains(Self.normalized(expected.author)))
        #expect(article.published?.hasPrefix(expected.date) == true)
        #expect(article.siteName == "Daily Briefing Hub")
        #expect(article.markdown?.hasPrefix("# " + expected.title) == true)
    }
}
