import Foundation

/// One WARC record: its version, named fields and block (for `response` records, the HTTP message).
public struct WARCRecord: Sendable, Equatable {
    /// `WARC/1.0` or `WARC/1.1`.
    public var version: String
    public var headers: WARCHeaders
    /// The record's block: `Content-Length` bytes.
    public var block: Data
    /// Where the record starts in its file: its gzip member's offset in a `.warc.gz`.
    public var offset: Int

    public init(version: String, headers: WARCHeaders, block: Data, offset: Int) {
        self.version = version; self.headers = headers; self.block = block; self.offset = offset
    }

    /// `WARC-Type`, lower-cased (`response`, `request`, `revisit`, `warcinfo`, `metadata`, ...).
    public var type: String { headers["WARC-Type"]?.lowercased() ?? "" }
    /// `WARC-Target-URI`, without the angle brackets some WARC/1.0 writers put around it.
    public var targetURI: String? {
        guard var uri = headers["WARC-Target-URI"] else { return nil }
        if uri.hasPrefix("<") && uri.hasSuffix(">") && uri.count >= 2 { uri = String(uri.dropFirst().dropLast()) }
        return uri
    }
    /// `WARC-Date` as written (ISO 8601, UTC).
    public var dateString: String? { headers["WARC-Date"] }
    /// `WARC-Date` parsed; nil when absent or not ISO 8601.
    public var date: Date? {
        guard let s = dateString else { return nil }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s))
            ?? (try? Date.ISO8601FormatStyle().parse(s))
    }
    public var recordID: String? { headers["WARC-Record-ID"] }
    /// The block's `Content-Type` (`application/http; msgtype=response` for HTTP responses).
    public var contentType: String? { headers["Content-Type"] }
}
