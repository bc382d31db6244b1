import Foundation
import Testing
import DecantTestSupport
@testable import DecantCore

/// `decant extract` as a process: a page without an article (exit code 1, the metadata as JSON), batch formats.
@Suite struct ExtractCommandTests {
    let binary: String

    init() throws {
        binary = try #require(DecantBinary.path, "the decant binary is not built next to the tests")
    }

    func extract(_ page: String, _ args: [String]) throws -> (status: Int32, stdout: Data) {
        let file = NSTemporaryDirectory() + "decant-extract-\(UUID().uuidString).html"
        try Data(page.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, data, _) = try ChildProcess.run(binary, ["extract", file] + args)
        return (status, data)
    }

    @Test func aPageWithoutAnArticlePrintsItsMetadataAndExitsOne() throws {
        let (status, stdout) = try extract(DescriptionAndNoArticleTests.noArticle, ["--format", "json"])
        #expect(status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any])
        #expect(json["title"] as? String == "Members only")
        #expect(json["published"] as? String == "2024-03-05T10:00:00+01:00")
        #expect(json["text"] as? String == "")
        #expect(json["error"] as? String == "no article content found")
        let text = try extract(DescriptionAndNoArticleTests.noArticle, ["--format", "text"])
        #expect(text.status == 1 && text.stdout.isEmpty)
    }

    @Test(arguments: [("markdown", "md"), ("text", "txt"), ("json", "json")])
    func aBatchWritesEachPageInTheChosenFormat(format: String, suffix: String) throws {
        let folder = NSTemporaryDirectory() + "decant-batch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let story = String(repeating: "A sentence of the story, with *stars* in it. ", count: 12)
        let page = "<html><head><title>T</title></head><body><article><h2>Part one</h2><p>\(story)</p></article></body></html>"
        let (status, _) = try extract(page, ["--out", folder, "--format", format])
        #expect(status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == 1 && files.allSatisfy { $0.hasSuffix(".\(suffix)") }, "\(files)")
        let written = try String(contentsOfFile: folder + "/" + (files.first ?? ""), encoding: .utf8)
        #expect(written.hasSuffix("}\n") || written.hasSuffix(".\n"), "every file ends with one newline, as out/'s do")
        switch format {
        case "markdown": #expect(written.hasPrefix("# T\n\n## Part one\n\nA sentence") && written.contains("\\*stars\\*"))
        case "text": #expect(written.hasPrefix("Part one\n\nA sentence") && written.contains(" *stars* "))
        default: #expect(try JSONSerialization.jsonObject(with: Data(written.utf8)) is [String: Any])
        }
    }
}
