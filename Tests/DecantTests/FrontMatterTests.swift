import Foundation
import Testing
import Yams
@testable import DecantCore
@testable import DecantExtract
import DecantSpool
import DecantTestSupport

/// Markdown front matter: a YAML parser reads every field back exactly as the article has it.
@Suite struct FrontMatterTests {
    static let hardStrings = [
        "Breaking: the mayor said \"no\" — again", "'single' and \"double\" quotes", "# not a comment", "- not a list",
        "line one\nline two\r\nthree", "", "  leading and trailing spaces  ", "tab\there", "back\\slash \\n not a newline",
        "null", "true", "~", "123", "1e3", "2024-05-06", "key: value", "[not, a, list]", "{not: a map}", "& anchor", "* alias",
        "! tag", "| literal", "> folded", "%directive", "@at", "`tick`", "---", "...", "?", ": colon first",
        "Ünïcödé 日本語 עברית 👩‍👩‍👧", "e\u{301} combining", "nul\u{0}bell\u{7}esc\u{1B}del\u{7F}",
        "c1\u{85}\u{9B}", "sep\u{2028}para\u{2029}", "bom\u{FEFF}", "nbsp\u{A0}", "non\u{FFFE}char",
    ]

    static func parse(_ block: String) throws -> [String: Any] {
        #expect(block.hasPrefix("---\n") && block.hasSuffix("\n---\n\n"))
        let body = String(block.dropFirst(4).dropLast(5))
        return try #require(try Yams.load(yaml: body) as? [String: Any])
    }

    @Test(arguments: hardStrings)
    func aTitleReadsBackExactly(_ title: String) throws {
        let yaml = try Self.parse(FrontMatter.render(title: title, author: title, published: nil, url: nil,
                                                     tags: [title, "plain"], language: nil))
        #expect(yaml["title"] as? String == title)
        #expect(yaml["author"] as? String == title)
        #expect(yaml["tags"] as? [String] == [title, "plain"])
        #expect(yaml["published"] == nil && yaml["url"] == nil)
    }

    @Test func everyFieldOfAnArticleIsWrittenAndAbsentOnesLeftOut() throws {
        var article = try Extractor().extract(WARCFixture.page("Omega: \"quoted\" # hash"), url: "https://example.com/o?a=1&b=2#x")
        article.tags = []
        article.author = "Ann O'Neil, Bob"
        article.published = "2024-05-06T07:08:09+02:00"
        article.language = "de-AT"
        let text = FrontMatter.document(article)
        let end = try #require(text.range(of: "\n---\n\n"))
        let yaml = try Self.parse(String(text[..<end.upperBound]))
        #expect(yaml["title"] as? String == article.title)
        #expect(yaml["author"] as? String == "Ann O'Neil, Bob")
        #expect(yaml["published"] as? String == "2024-05-06T07:08:09+02:00")
        #expect(yaml["url"] as? String == "https://example.com/o?a=1&b=2#x")
        #expect((yaml["tags"] as? [Any])?.isEmpty == true)
        #expect(yaml["language"] as? String == "de-AT")
        #expect(text[end.upperBound...] == (article.markdown ?? article.text)[...])
        article.author = nil
        #expect(try Self.parse(FrontMatter.render(article))["author"] == nil)
    }

    @Test func theConfigKeyIsReadAndOffByDefault() throws {
        #expect(PipelineConfig().output.frontMatter == false)
        let config = try JSONDecoder().decode(PipelineConfig.self, from: Data(#"{"output": {"frontMatter": true}}"#.utf8))
        #expect(config.output.frontMatter)
    }
}

/// The spool's `<id>.md` carries the front matter when `output.frontMatter` is on, and not otherwise.
@Suite struct DeliveryFrontMatterTests {
    @Test(arguments: [true, false])
    func theSpoolsMarkdownStartsWithFrontMatterOnlyWhenConfigured(_ on: Bool) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("decant-fm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let layout = SpoolLayout(root: root)
        for folder in [layout.out, layout.tmp] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let article = try Extractor().extract(WARCFixture.page("Title: with a colon"), url: "https://example.com/a")
        try Delivery(layout: layout, formats: [.json, .markdown], frontMatter: on).write(article)
        let md = try String(contentsOfFile: "\(layout.out)/\(article.id).md", encoding: .utf8)
        #expect(md.hasPrefix("---\ntitle: ") == on)
        if on {
            let block = String(md[..<md.range(of: "\n---\n\n")!.upperBound])
            #expect(try FrontMatterTests.parse(block)["title"] as? String == article.title)
        }
    }
}
