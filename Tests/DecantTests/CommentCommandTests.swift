import Foundation
import Testing
import DecantTestSupport

/// `decant extract` with `clean.keepComments`: comments in the JSON and after the `.md`'s rule, never in the text.
@Suite struct CommentCommandTests {
    let binary: String

    init() throws {
        binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
    }

    /// Standard output of `decant extract` on the WordPress fixture, in `format`, keeping comments or not.
    func extract(format: String, keepComments: Bool) throws -> String {
        let config = NSTemporaryDirectory() + "decant-comments-\(UUID().uuidString).json"
        try Data(#"{"clean": {"keepComments": \#(keepComments)}}"#.utf8).write(to: URL(fileURLWithPath: config))
        defer { try? FileManager.default.removeItem(atPath: config) }
        let (status, data, _) = try ChildProcess.run(binary, ["extract", FixturePaths.url("comments/wordpress/page.html").path,
                                                             "--format", format, "--config", config])
        #expect(status == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func markdownGetsTheCommentsAfterARuleAndTextNever() throws {
        let markdown = try extract(format: "markdown", keepComments: true)
        let plainMarkdown = try extract(format: "markdown", keepComments: false)
        #expect(markdown.hasPrefix(String(plainMarkdown.dropLast()) + "\n\n---\n\n## Comments\n\n### Ann Keller"))
        #expect(!plainMarkdown.contains("## Comments"))
        let text = try extract(format: "text", keepComments: true)
        #expect(text == (try extract(format: "text", keepComments: false)))
        #expect(!text.contains("lost every leek"))
    }

    @Test func theJSONHasCommentsOnlyWhenKept() throws {
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(extract(format: "json", keepComments: true).utf8))
                                as? [String: Any])
        let comments = try #require(kept["comments"] as? [[String: String]])
        #expect(comments.map { $0["author"] } == ["Ann Keller", "Mara Quinn", "Tom_B"])
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(extract(format: "json", keepComments: false).utf8))
                                 as? [String: Any])
        #expect(plain["comments"] == nil)
        #expect(kept["text"] as? String == plain["text"] as? String)
    }
}
