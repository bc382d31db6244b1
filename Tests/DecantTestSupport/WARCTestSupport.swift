import DecantArchive
import Foundation
import DecantExtract

/// Builds WARC files by hand for the reader's tests (independent of `WARCWriter`).
package enum WARCFixture {
    /// One record's bytes: version line, fields, a blank line, the block, and `\r\n\r\n`.
    package static func record(type: String, uri: String? = nil, block: Data, version: String = "WARC/1.1",
                       contentType: String? = nil, length: Int? = nil) -> Data {
        var head = "\(version)\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <urn:uuid:\(UUID().uuidString.lowercased())>\r\n"
        head += "WARC-Date: 2024-05-06T07:08:09Z\r\n"
        if let uri { head += "WARC-Target-URI: \(uri)\r\n" }
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        head += "Content-Length: \(length ?? block.count)\r\n\r\n"
        return Data(head.utf8) + block + Data("\r\n\r\n".utf8)
    }

    /// A `response` record holding an HTTP message.
    package static func response(_ uri: String, status: String = "200 OK", headers: [String] = ["Content-Type: text/html; charset=utf-8"],
                         body: Data) -> Data {
        let http = "HTTP/1.1 \(status)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        return record(type: "response", uri: uri, block: Data(http.utf8) + body,
                      contentType: "application/http; msgtype=response")
    }

    package static func request(_ uri: String) -> Data {
        record(type: "request", uri: uri, block: Data("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8),
               contentType: "application/http; msgtype=request")
    }

    package static func warcinfo() -> Data {
        record(type: "warcinfo", block: Data("software: decant-tests\r\n".utf8), contentType: "application/warc-fields")
    }

    /// A page the extractor finds an article in, its title and text naming `word`.
    package static func page(_ word: String, extra: String = "") -> Data {
        let para = "The \(word) story goes on with enough words to count as a real paragraph of an article \(extra)."
        return Data("""
            <html><head><title>\(word) headline</title></head><body><article><h1>\(word) headline</h1>
            <p>\(para)</p><p>\(para) Again, more of it.</p><p>\(para) And a third time.</p></article></body></html>
            """.utf8)
    }

    /// Writes records as one file: plain, or each record its own gzip member. Returns each record's offset.
    @discardableResult
    package static func write(_ records: [Data], gzip: Bool, to path: String) throws -> [Int] {
        var file = Data()
        var offsets: [Int] = []
        for r in records {
            offsets.append(file.count)
            file += gzip ? Inflate.gzipMember(r) : r
        }
        try file.write(to: URL(fileURLWithPath: path))
        return offsets
    }

    package static func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "decant-warc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// True when `python3 -c 'import warcio'` succeeds.
    package static let warcioAvailable: Bool = {
        (try? ChildProcess.run("python3", ["-c", "import warcio"], seconds: 60))?.status == 0
    }()

    /// Runs a Python script with `args`; returns its exit status and stdout followed by stderr.
    package static func python(_ script: String, _ args: [String]) throws -> (Int32, String) {
        let (status, stdout, stderr) = try ChildProcess.run("python3", ["-c", script] + args, seconds: 300)
        return (status, String(decoding: stdout, as: UTF8.self) + stderr)
    }
}
