import Foundation
import Testing
@testable import DecantExtract
import DecantTestSupport

/// One small hand-written page per kind of furniture to drop and per kind of content to keep.
@Suite struct CleanerFixtureTests {
    struct Expectation: Decodable {
        var include: [String]
        var exclude: [String]
        var markdown_include: [String]
        /// Snippets the text must hold exactly this many times (a refrain the page repeats).
        var counts: [String: Int]?
    }

    static let cases = FixturePaths.cases(in: "cleaner")

    @Test func theCorpusHasACaseForEachKindOfFurniture() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func keepsTheArticleAndDropsTheFurniture(_ name: String) throws {
        let page = try FixturePaths.data("cleaner/\(name)/page.html")
        let expected = try JSONDecoder().decode(
            Expectation.self, from: FixturePaths.data("cleaner/\(name)/expected.json"))
        let article = try Extractor().extract(page, url: "https://courier.example/news/\(name)")
        let text = folded(article.text)
        for snippet in expected.include {
            #expect(text.contains(folded(snippet)), "\(name): missing \(snippet.prefix(60))")
        }
        for snippet in expected.exclude {
            #expect(!article.text.contains(snippet), "\(name): leaked \(snippet.prefix(60))")
        }
        for (snippet, count) in expected.counts ?? [:] {
            let found = text.components(separatedBy: folded(snippet)).count - 1
            #expect(found == count, "\(name): \(snippet.prefix(40)) found \(found) times, not \(count)")
        }
        let markdown = article.markdown ?? ""
        for snippet in expected.markdown_include {
            #expect(markdown.contains(snippet), "\(name): markdown lacks \(snippet)")
        }
    }
}
