import Foundation
import Testing
@testable import DecantArchive
@testable import DecantExtract
import DecantTestSupport

/// The streaming WARC reader: plain and gzip-per-record files, bad records skipped, reading from an offset.
@Suite struct WARCReaderTests {
    static func sample() -> [Data] {
        [WARCFixture.warcinfo(),
         WARCFixture.request("http://example.com/a"),
         WARCFixture.response("http://example.com/a", body: WARCFixture.page("Alpha")),
         WARCFixture.response("http://example.com/logo.png", headers: ["Content-Type: image/png"],
                              body: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])),
         WARCFixture.record(type: "metadata", uri: "http://example.com/a", block: Data("via: x\r\n".utf8),
                            version: "WARC/1.0", contentType: "application/warc-fields")]
    }

    static func readAll(_ path: String, offset: Int = 0, limits: WARCReader.Limits = .init()) throws
        -> (records: [WARCRecord], skipped: [WARCError]) {
        let reader = try WARCReader(path: path, offset: offset, limits: limits)
        var records: [WARCRecord] = [], skipped: [WARCError] = []
        var steps = 0
        while let item = try reader.next() {
            steps += 1
            if steps > 10_000 { Issue.record("reader does not end"); break }
            switch item {
            case .record(let r): records.append(r)
            case .skipped(let e): skipped.append(e)
            }
        }
        return (records, skipped)
    }

    @Test(arguments: [false, true])
    func readsEveryRecordOfAPlainOrGzipPerRecordFile(gzip: Bool) throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + (gzip ? "/a.warc.gz" : "/a.warc")
        let offsets = try WARCFixture.write(Self.sample(), gzip: gzip, to: path)
        let (records, skipped) = try Self.readAll(path)
        #expect(skipped.isEmpty)
        #expect(records.map(\.type) == ["warcinfo", "request", "response", "response", "metadata"])
        #expect(records.map(\.offset) == offsets)
        #expect(records[2].targetURI == "http://example.com/a")
        #expect(records[4].version == "WARC/1.0")
        #expect(records[2].date == Date(timeIntervalSince1970: 1_714_979_289))
        let http = try HTTPResponse.parse(records[2].block, maxBodyBytes: 1 << 20)
        #expect(http.status == 200 && http.isHTML && http.charset == "utf-8")
        #expect(http.body == WARCFixture.page("Alpha"))
        #expect(try !HTTPResponse.parse(records[3].block, maxBodyBytes: 1 << 20).isHTML)
    }

    @Test(arguments: [false, true])
    func aMalformedRecordIsSkippedAndTheNextOneRead(gzip: Bool) throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bad.warc" + (gzip ? ".gz" : "")
        let short = WARCFixture.record(type: "response", uri: "http://example.com/short",
                                       block: Data("HTTP/1.1 200 OK\r\n\r\nmore than ten bytes".utf8), length: 10)
        let noLength = Data("WARC/1.1\r\nWARC-Type: resource\r\n\r\nzzz\r\n\r\n".utf8)
        let notWARC = Data("GARBAGE LINE\r\n\r\n".utf8)
        try WARCFixture.write([WARCFixture.warcinfo(), short, WARCFixture.request("http://example.com/b"), noLength,
                               notWARC, WARCFixture.response("http://example.com/b", body: WARCFixture.page("Beta"))],
                              gzip: gzip, to: path)
        let (records, skipped) = try Self.readAll(path)
        #expect(records.map(\.type) == ["warcinfo", "request", "response"])
        #expect(records.last?.targetURI == "http://example.com/b")
        #expect(skipped.contains { if case .missingTrailer = $0 { true } else { false } })
        #expect(skipped.contains { if case .missingField(_, "Content-Length") = $0 { true } else { false } })
        // In a plain file the search for the next `WARC/1.` line passes over the garbage unseen.
        #expect(skipped.count == (gzip ? 3 : 2))
        #expect(skipped.contains { if case .badVersion = $0 { true } else { false } } == gzip)
    }

    @Test func aCorruptGzipMemberIsSkippedAndTheNextMemberRead() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/corrupt.warc.gz"
        let offsets = try WARCFixture.write(Self.sample(), gzip: true, to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Scramble the deflate data of the third member (the HTML response), keeping its gzip header.
        for i in (offsets[2] + 12)..<(offsets[2] + 40) { bytes[i] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: path))
        let (records, skipped) = try Self.readAll(path)
        #expect(records.map(\.type) == ["warcinfo", "request", "response", "metadata"])
        #expect(records[2].targetURI == "http://example.com/logo.png")
        #expect(skipped.count == 1)
        if case .corruptGzip(let at, _)? = skipped.first { #expect(at == offsets[2]) } else { Issue.record("\(skipped)") }
    }

    @Test(arguments: [false, true])
    func readingStartsAtAnOffsetIntoTheMiddle(gzip: Bool) throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/mid.warc" + (gzip ? ".gz" : "")
        let offsets = try WARCFixture.write(Self.sample(), gzip: gzip, to: path)
        let (records, skipped) = try Self.readAll(path, offset: offsets[3])
        #expect(skipped.isEmpty)
        #expect(records.map(\.targetURI) == ["http://example.com/logo.png", "http://example.com/a"])
        #expect(records.first?.offset == offsets[3])
        #expect(throws: WARCError.offsetNotAtRecord(offset: offsets[3] + 3)) {
            _ = try WARCReader(path: path, offset: offsets[3] + 3)
        }
    }

    @Test func aBlockOverTheLimitIsSkippedUnreadAndReadingGoesOn() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.warc.gz"
        let big = WARCFixture.response("http://example.com/big", body: Data(repeating: 0x61, count: 3 << 20))
        try WARCFixture.write([big, WARCFixture.request("http://example.com/after")], gzip: true, to: path)
        let (records, skipped) = try Self.readAll(path, limits: .init(maxBlockBytes: 1 << 20))
        #expect(records.map(\.targetURI) == ["http://example.com/after"])
        if case .recordTooLarge(0, _, 1 << 20)? = skipped.first {} else { Issue.record("\(skipped)") }
    }

    @Test func aChunkedGzippedBodyIsDecodedAndItsCharsetKept() throws {
        let html = Data("<html><body><p>caf\u{E9}</p></body></html>".utf8)
        let gz = Inflate.gzipMember(html)
        var chunked = Data()
        var i = 0
        while i < gz.count {
            let n = min(7, gz.count - i)
            chunked += Data((String(n, radix: 16) + ";ext=1\r\n").utf8) + gz[i..<(i + n)] + Data("\r\n".utf8)
            i += n
        }
        chunked += Data("0\r\nX-Trailer: t\r\n\r\n".utf8)
        let block = Data("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"ISO-8859-1\"\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".utf8) + chunked
        let http = try HTTPResponse.parse(block, maxBodyBytes: 1 << 20)
        #expect(http.body == html)
        #expect(http.charset == "ISO-8859-1")
        #expect(http.mediaType == "text/html")
        #expect(throws: HTTPPayloadError.bodyTooLarge(limit: 10)) { _ = try HTTPResponse.parse(block, maxBodyBytes: 10) }
        let brotli = Data("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx".utf8)
        #expect(throws: HTTPPayloadError.unsupportedEncoding("br")) { _ = try HTTPResponse.parse(brotli, maxBodyBytes: 100) }
        let badChunk = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\nzz\r\n".utf8)
        #expect(throws: HTTPPayloadError.badChunk(at: 10)) { _ = try HTTPResponse.parse(badChunk, maxBodyBytes: 100) }
    }

    @Test(.enabled(if: WARCFixture.warcioAvailable, "python3 has no warcio"))
    func warcioReadsTheSameRecordsAsTheReader() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/same.warc.gz"
        try WARCFixture.write(Self.sample(), gzip: true, to: path)
        let script = """
            from warcio.archiveiterator import ArchiveIterator; import sys
            with open(sys.argv[1], 'rb') as f:
                it = ArchiveIterator(f)
                for r in it:
                    body = r.content_stream().read()
                    print(it.get_record_offset(), r.rec_type, r.rec_headers.get_header('WARC-Target-URI') or '-', len(body))
            """
        let (status, out) = try WARCFixture.python(script, [path])
        #expect(status == 0, "\(out)")
        let ours = try Self.readAll(path).records.map { r -> String in
            var payload = r.block.count
            if r.type == "request" { payload = 0 }   // headers only
            if r.type == "response" { payload = (try? HTTPResponse.parse(r.block, maxBodyBytes: 1 << 20))?.body.count ?? -1 }
            return "\(r.offset) \(r.type) \(r.targetURI ?? "-") \(payload)"
        }
        #expect(out.split(separator: "\n").map(String.init) == ours)
    }
}
