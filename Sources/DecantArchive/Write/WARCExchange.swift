import Foundation

/// One HTTP exchange as it went over the wire, which `WARCWriter` stores as WARC records.
public struct WARCExchange: Sendable, Equatable {
    /// The URL asked for (the target of both records).
    public var url: String
    /// When the response began to arrive.
    public var date: Date
    /// The server's address the exchange went to (`CURLINFO_PRIMARY_IP`), if known.
    public var ipAddress: String?
    /// The request as sent: request line, headers, blank line, and body if any.
    public var request: Data
    /// The response's status line and headers as received, with the blank line that ends them.
    public var responseHead: Data
    /// The body as received: before content decoding (gzip stays gzip), transfer coding as stored in the head.
    public var responseBody: Data
    /// The status code; 304 is written as a `revisit` record.
    public var status: Int
    /// For a 304: the earlier capture it confirms, if known.
    public var refersTo: Capture?
    /// Why the stored body is shorter than the head declares (`WARC-Truncated`), such as the body of a
    /// redirect the client did not read; nil when it is whole.
    public var truncated: String?

    /// An earlier capture a revisit points to.
    public struct Capture: Sendable, Equatable {
        public var url: String
        public var date: Date?
        public var recordID: String?
        public init(url: String, date: Date? = nil, recordID: String? = nil) {
            self.url = url; self.date = date; self.recordID = recordID
        }
    }

    public init(url: String, date: Date, ipAddress: String?, request: Data, responseHead: Data,
                responseBody: Data, status: Int, refersTo: Capture? = nil, truncated: String? = nil) {
        self.url = url; self.date = date; self.ipAddress = ipAddress; self.request = request
        self.responseHead = responseHead; self.responseBody = responseBody; self.status = status
        self.refersTo = refersTo; self.truncated = truncated
    }
}
