import Foundation
import Testing
@testable import decant
@testable import DecantExtract
import DecantTestSupport

/// `decant extract FILE.warc.gz --out DIR`: HTML responses become articles, the rest is counted.
@Suite struct WARCExtractionTests {
    static func records() -> [Data] {
        let latin1 = Data("<html><body><article><h1>Beta headline</h1><p>Un caf\u{E9} cr\u{E8}me, with enough words to count as a real paragraph of an article.</p><p>More words in a second paragraph, as articles go on and on.</p></article></body></html>".unicodeScalars.map { UInt8($0.value) })
        var chunked = Data()
        let gamma = WARCFixture.page("Gamma")
        chunked += Data((String(100, radix: 16) + "\r\n").utf8) + gamma.prefix(100) + Data("\r\n".utf8)
        chunked += Data((String(gamma.count - 100, radix: 16) + "\r\n").utf8) + gamma.dropFirst(100) + Data("\r\n0\r\n\r\n".utf8)
        return [
            WARCFixture.warcinfo(),
            WARCFixture.request("http://example.com/alpha"),
            WARCFixture.response("http://example.com/alpha", body: WARCFixture.page("Alpha")),
            WARCFixture.response("http://example.com/beta", headers: ["Content-Type: text/html; charset=ISO-8859-1"], body: latin1),
            WARCFixture.record(type: "response", uri: "http://example.com/broken", block: Data("HTTP/1.1 200 OK\r\n\r\nabc".utf8), length: 5),
            WARCFixture.response("http://example.com/gamma", headers: ["Content-Type: text/html", "Transfer-Encoding: chunked"], body: chunked),
            WARCFixture.response("http://example.com/logo.png", headers: ["Content-Type: image/png"], body: Data([1, 2, 3])),
            WARCFixture.response("http://example.com/missing", status: "404 Not Found", body: WARCFixture.page("Missing")),
            WARCFixture.response("http://example.com/empty", body: Data(DescriptionAndNoArticleTests.noArticle.utf8)),
            WARCFixture.response("http://example.com/alpha", body: WARCFixture.page("Alpha")),
        ]
    }

    static func articles(in dir: String) throws -> [String: [String: Any]] {
        var byURL: [String: [String: Any]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            byURL[json["url"] as? String ?? ""] = json
        }
        return byURL
    }

    @Test func decantExtractRoutesAWARCInputToTheStreamingReader() async throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WARCFixture.write(Self.records(), gzip: true, to: dir + "/crawl.warc.gz")
        var command = try Decant.Extract.parse([dir + "/crawl.warc.gz", "--out", dir + "/out", "--jobs", "1"])
        try await command.run()
        #expect(try Self.articles(in: dir + "/out").keys.sorted()
                == ["http://example.com/alpha", "http://example.com/beta", "http://example.com/gamma"])
    }

    @Test func aWARCInputWithoutAnOutputFolderIsAUsageError() async throws {
        var command = try Decant.Extract.parse(["/nonexistent/crawl.warc.gz"])
        await #expect(throws: CLIFailure.self) { try await command.run() }
        #expect(throws: (any Error).self) { try Decant.Extract.parse(["a.html", "--offset", "5"]) }
    }

    @Test func everyHTMLResponseBecomesAnArticleAndTheRestIsCounted() async throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WARCFixture.write(Self.records(), gzip: true, to: dir + "/crawl.warc.gz")
        let summary = try await WARCExtraction(extractor: Extractor(), outputFolder: dir + "/out", jobs: 2, offset: nil)
            .run(inputs: [dir + "/crawl.warc.gz"])
        #expect(summary.records == 10)
        #expect(summary.articles == 3)
        #expect(summary.noArticle == 1)
        #expect(summary.nonHTML == 1)
        #expect(summary.otherStatus == 1)
        #expect(summary.otherRecords == 2)
        #expect(summary.malformed == 1)
        #expect(summary.duplicates == 1)
        #expect(summary.failed == 0)
        let articles = try Self.articles(in: dir + "/out")
        #expect(Set(articles.keys) == ["http://example.com/alpha", "http://example.com/beta", "http://example.com/gamma"])
        // The charset came from the HTTP header only (the page declares none).
        #expect((articles["http://example.com/beta"]?["text"] as? String)?.contains("Un café crème") == true)
        let http = articles["http://example.com/beta"]?["http"] as? [String: Any]
        #expect(http?["charset"] as? String == "windows-1252")
        #expect(articles["http://example.com/gamma"]?["title"] as? String == "Gamma headline")
        #expect(articles["http://example.com/alpha"]?["fetchedAt"] as? String == "2024-05-06T07:08:09Z")
    }

    @Test func anOffsetStartsAtThatRecord() async throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let offsets = try WARCFixture.write(Self.records(), gzip: true, to: dir + "/crawl.warc.gz")
        let summary = try await WARCExtraction(extractor: Extractor(), outputFolder: dir + "/out", jobs: 1, offset: offsets[5])
            .run(inputs: [dir + "/crawl.warc.gz"])
        #expect(summary.records == 5)
        // From gamma on, alpha's second capture is no longer a duplicate.
        #expect(Set(try Self.articles(in: dir + "/out").keys) == ["http://example.com/gamma", "http://example.com/alpha"] as Set)
    }

    @Test func anOffsetWithSeveralFilesIsAUsageError() async throws {
        await #expect(throws: CLIFailure.self) {
            try await WARCExtraction(extractor: Extractor(), outputFolder: "/tmp/unused", jobs: 1, offset: 0)
                .run(inputs: ["a.warc", "b.warc"])
        }
    }
}
