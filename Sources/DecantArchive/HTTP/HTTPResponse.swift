import Foundation

/// The HTTP response in a WARC `response` record: status, headers and the decoded body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: WARCHeaders
    /// The body with chunked transfer coding and gzip/deflate content coding removed.
    public var body: Data

    /// The media type without parameters, lower-cased (`text/html`), if sent.
    public var mediaType: String? { Self.mediaType(headers["Content-Type"]) }
    /// The `charset` parameter of `Content-Type`, if sent.
    public var charset: String? { Self.charset(headers["Content-Type"]) }

    /// Parses `block` (status line, headers, body), decoding the body to at most `maxBodyBytes`.
    public static func parse(_ block: Data, maxBodyBytes: Int) throws(HTTPPayloadError) -> HTTPResponse {
        let bytes = [UInt8](block)
        var i = 0
        func line() -> ArraySlice<UInt8>? {
            guard let nl = bytes[i...].firstIndex(of: 0x0A) else { return nil }
            var end = nl
            if end > i && bytes[end - 1] == 0x0D { end -= 1 }
            defer { i = nl + 1 }
            return bytes[i..<end]
        }
        guard let statusLine = line() else {
            throw .badStatusLine(String(decoding: bytes.prefix(80), as: UTF8.self))
        }
        let parts = String(decoding: statusLine, as: UTF8.self).split(separator: " ", maxSplits: 2,
                                                                     omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]), (100...999).contains(status) else {
            throw .badStatusLine(String(decoding: statusLine.prefix(80), as: UTF8.self))
        }
        var headers = WARCHeaders()
        while true {
            guard let l = line() else { throw .badHeaders }
            if l.isEmpty { break }
            if l.first == 0x20 || l.first == 0x09 { continue }   // obsolete folding: ignored
            guard let colon = l.firstIndex(of: UInt8(ascii: ":")) else { throw .badHeaders }
            headers.append(String(decoding: l[..<colon], as: UTF8.self).trimmed,
                           String(decoding: l[(colon + 1)...], as: UTF8.self).trimmed)
        }
        let body = try decodeBody(Data(bytes[i...]), transferEncoding: headers["Transfer-Encoding"],
                                  contentEncoding: headers["Content-Encoding"], limit: maxBodyBytes)
        return HTTPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: body)
    }

    /// `raw` without chunked transfer coding and `gzip`/`deflate` content coding, at most `limit` bytes
    /// (checked while inflating, so a gzip bomb stops at the limit); other content codings are refused.
    public static func decodeBody(_ raw: Data, transferEncoding: String?, contentEncoding: String?,
                                  limit: Int) throws(HTTPPayloadError) -> Data {
        var body = raw
        if let te = transferEncoding, te.lowercased().contains("chunked") {
            body = try ChunkedBody.decode(body, limit: limit)
        }
        if let ce = contentEncoding?.lowercased().trimmed, !ce.isEmpty, ce != "identity" {
            switch ce {
            case "gzip", "x-gzip", "deflate":
                if !body.isEmpty { body = try Inflate.decompress(body, limit: limit) }
            default:
                throw .unsupportedEncoding(ce)
            }
        }
        if body.count > limit { throw .bodyTooLarge(limit: limit) }
        return body
    }

    /// True for `text/html` and `application/xhtml+xml`, or, with no media type, a body that starts like HTML.
    public var isHTML: Bool {
        if let type = mediaType { return type == "text/html" || type == "application/xhtml+xml" }
        var start = body.prefix(1024).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        start = start.prefix(14)
        let head = String(decoding: start, as: UTF8.self).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    static func mediaType(_ contentType: String?) -> String? {
        guard let ct = contentType else { return nil }
        let type = ct.split(separator: ";", maxSplits: 1).first.map { String($0).trimmed.lowercased() } ?? ""
        return type.isEmpty ? nil : type
    }

    static func charset(_ contentType: String?) -> String? {
        guard let ct = contentType else { return nil }
        for param in ct.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, String(kv[0]).trimmed.lowercased() == "charset" else { continue }
            var value = String(kv[1]).trimmed
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
