import Foundation
import Testing
@testable import DecantArchive
@testable import DecantExtract
import DecantTestSupport

/// WARC out: request + response (revisit for a 304) records, one gzip member each, rotated files renamed into place.
@Suite struct WARCWriterTests {
    static let date = Date(timeIntervalSince1970: 1_714_979_289)

    static func exchange(_ url: String, status: Int = 200, body: Data, head: String? = nil) -> WARCExchange {
        let host = URL(string: url)?.host ?? "example.com"
        let request = Data("GET \(URL(string: url)?.path ?? "/") HTTP/1.1\r\nHost: \(host)\r\nAccept-Encoding: gzip\r\n\r\n".utf8)
        let responseHead = head ?? "HTTP/1.1 \(status) \(status == 304 ? "Not Modified" : "OK")\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\n\r\n"
        return WARCExchange(url: url, date: date, ipAddress: "127.0.0.1", request: request,
                            responseHead: Data(responseHead.utf8), responseBody: body, status: status,
                            refersTo: status == 304 ? .init(url: url, date: date.addingTimeInterval(-86_400)) : nil)
    }

    static func writeSample(into dir: String, maxFileBytes: Int) throws -> WARCWriter {
        let writer = WARCWriter(options: .init(directory: dir + "/warc", node: "test node/1", maxFileBytes: maxFileBytes, durable: false),
                                clock: { date })
        let gzipped = Inflate.gzipMember(WARCFixture.page("Zeta"))
        try writer.write(exchange("http://127.0.0.1/robots.txt", body: Data("User-agent: *\nDisallow:\n".utf8),
                                  head: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"))
        try writer.write(exchange("http://127.0.0.1/zeta", body: gzipped,
                                  head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: \(gzipped.count)\r\n\r\n"))
        try writer.write(exchange("http://127.0.0.1/zeta", status: 304, body: Data()))
        try writer.write(exchange("http://127.0.0.1/eta", body: WARCFixture.page("Eta")))
        return writer
    }

    static func files(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/warc")) ?? []).sorted()
    }

    @Test func recordsReadBackWithTheirDigestsAndTheRawBody() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try Self.writeSample(into: dir, maxFileBytes: 1 << 30)
        #expect(Self.files(dir).count == 1 && Self.files(dir)[0].hasSuffix(".warc.gz.open"))
        try writer.finish()
        let names = Self.files(dir)
        #expect(names.count == 1)
        #expect(names[0].wholeMatch(of: /decant-20240506070809000-testnode1-00001\.warc\.gz/) != nil, "\(names)")
        let records = try WARCReaderTests.readAll(dir + "/warc/" + names[0]).records
        #expect(records.map(\.type) == ["warcinfo", "response", "request", "response", "request", "revisit", "request",
                                        "response", "request"])
        for r in records {
            #expect(r.version == "WARC/1.1")
            #expect(r.headers["WARC-Block-Digest"] == WARCDigest.sha1(r.block))
            #expect(r.recordID?.hasPrefix("<urn:uuid:") == true)
            #expect(r.dateString == "2024-05-06T07:08:09Z")
            if r.type != "warcinfo" { #expect(r.headers["WARC-IP-Address"] == "127.0.0.1") }
        }
        let zeta = records[3]
        let http = try HTTPResponse.parse(zeta.block, maxBodyBytes: 1 << 20)
        #expect(http.body == WARCFixture.page("Zeta"))   // stored gzipped, as received
        #expect(zeta.headers["WARC-Payload-Digest"] == WARCDigest.sha1(Inflate.gzipMember(WARCFixture.page("Zeta"))))
        #expect(records[4].headers["WARC-Concurrent-To"] == zeta.recordID)
        #expect(records[5].headers["WARC-Refers-To-Target-URI"] == "http://127.0.0.1/zeta")
        #expect(records[5].headers["WARC-Payload-Digest"] == nil)
    }

    @Test func filesRotateAtTheByteLimitAndEachIsRenamedWhenFinished() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try Self.writeSample(into: dir, maxFileBytes: 600)
        try writer.finish()
        let names = Self.files(dir)
        #expect(names.count == 4, "\(names)")
        #expect(names.allSatisfy { $0.hasSuffix(".warc.gz") })
        #expect(writer.finishedFiles.map { ($0 as NSString).lastPathComponent } == names)
        let all = try names.flatMap { try WARCReaderTests.readAll(dir + "/warc/" + $0).records }
        #expect(all.filter { $0.type == "warcinfo" }.count == 4)
        #expect(all.filter { $0.type == "request" }.count == 4)
    }

    @Test func aLeftoverOpenFileIsCutAfterItsLastWholeRecordAndRenamed() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.writeSample(into: dir, maxFileBytes: 1 << 30)   // never finished: a crash
        let open = dir + "/warc/" + Self.files(dir)[0]
        let whole = try Data(contentsOf: URL(fileURLWithPath: open))
        try (whole + Inflate.gzipMember(Data("WARC/1.1\r\nWARC-Type: resp".utf8)).prefix(20)).write(to: URL(fileURLWithPath: open))
        let done = try WARCWriter.finishLeftovers(in: dir + "/warc")
        #expect(done.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: done[0])) == whole)
    }

    @Test func base32OfSHA1MatchesKnownDigests() {
        #expect(WARCDigest.sha1(Data()) == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
        #expect(WARCDigest.base32(Array("foobar".utf8)) == "MZXW6YTBOI======")
    }

    @Test(.enabled(if: WARCFixture.warcioAvailable, "python3 has no warcio"))
    func warcioChecksEveryRecordAndDigest() throws {
        let dir = try WARCFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try Self.writeSample(into: dir, maxFileBytes: 600)
        try writer.finish()
        let paths = Self.files(dir).map { dir + "/warc/" + $0 }
        let (checkStatus, checkOut) = try WARCFixture.python("from warcio.cli import main; import sys; sys.exit(main(['check', '-v'] + sys.argv[1:]))", paths)
        #expect(checkStatus == 0, "\(checkOut)")
        // Every record but the revisit (whose digest warcio leaves unchecked) passes.
        #expect(checkOut.components(separatedBy: "digest pass").count - 1 == 11, "\(checkOut)")
        #expect(checkOut.contains("not checked (revisit)"))
        let script = """
            from warcio.archiveiterator import ArchiveIterator; import sys
            n = 0
            for p in sys.argv[1:]:
                with open(p, 'rb') as f:
                    for r in ArchiveIterator(f, check_digests='raise'):
                        r.content_stream().read()
                        n += 1
            print(n)
            """
        let (status, out) = try WARCFixture.python(script, paths)
        #expect(status == 0, "\(out)")
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "12")
    }
}
