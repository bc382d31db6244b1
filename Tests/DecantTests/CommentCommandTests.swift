import Foundation
import Testing

/// `decant extract` with `clean.keepComments`: comments in the JSON and after the `.md`'s rule, never in the text.
@Suite struct CommentCommandTests {
    let binary: String

    init() throws {
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [nextToTests.appendingPathComponent("decant").path,
                          nextToTests.deletingLastPathComponent().appendingPathComponent("decant").path,
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                            .deletingLastPathComponent().appendingPathComponent(".build/debug/decant").path]
        binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                              "the decant binary is not built next to the tests")
    }

    /// Standard output of `decant extract` on the WordPress fixture, in `format`, keeping comments or not.
    func extract(format: String, keepComments: Bool) throws -> String {
        let config = NSTemporaryDirectory() + "decant-comments-\(UUID().uuidString).json"
        try Data(#"{"clean": {"keepComments": \#(keepComments)}}"#.utf8).write(to: URL(fileURLWithPath: config))
        defer { try? FileManager.default.removeItem(atPath: config) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["extract", FixturePaths.url("comments/wordpress/page.html").path, "--format", format,
                             "--config", config]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
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
